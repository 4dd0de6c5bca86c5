import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { memberChartData, type MemberChartKind, type TimeRange } from '../src/app/charts/memberChart.js';
import { buildMemberChart, isEmptyChart, renderEmptyChart } from '../src/charts/index.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/command.js';
import { chartMessage } from '../src/discord/messages/chartMessages.js';

export const data = new SlashCommandBuilder()
  .setName('chart')
  .setDescription('A chart of what you listen to')
  .addStringOption((o) =>
    o.setName('kind').setDescription('Which chart').setRequired(true).addChoices(
      { name: 'Top genres', value: 'top-genres' },
      { name: 'Top artists', value: 'top-artists' },
      { name: 'Top tracks', value: 'top-tracks' },
      // Listening clock and genre mix (src/charts) are offered again once they draw on listening history.
    ),
  )
  .addStringOption((o) =>
    o
      .setName('range')
      .setDescription('Time range (default: last 4 weeks)')
      .addChoices(
        { name: 'Last 4 weeks', value: 'short_term' },
        { name: 'Last 6 months', value: 'medium_term' },
        { name: 'Last 12 months', value: 'long_term' },
      ),
  )
  .addBooleanOption((o) =>
    o.setName('public').setDescription('Post it for everyone in the channel (default: only you)'),
  );

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  const visible = interaction.options.getBoolean('public') ?? false;
  await interaction.deferReply(visible ? {} : { flags: MessageFlags.Ephemeral });
  if (!services.accounts || !services.charts) throw new UserError('command.notConfigured', { what: 'charts' });
  const kind = interaction.options.getString('kind', true) as MemberChartKind;
  const range = (interaction.options.getString('range') ?? 'short_term') as TimeRange;
  const spotify = await services.accounts.spotifyFor(interaction.user.id);
  const genres = services.genres;
  const source = {
    topArtists: spotify.topArtists.bind(spotify),
    topTracks: spotify.topTracks.bind(spotify),
    genresForArtists:
      genres && ((artists: Array<{ id: string; name: string }>) => genres.forArtists(interaction.user.id, artists)),
  };
  const chart = buildMemberChart(await memberChartData(kind, range, source));
  const png = isEmptyChart(chart)
    ? await renderEmptyChart(chart.title, chart.message)
    : await services.charts.render(chart);
  await interaction.editReply(
    chartMessage(
      { title: chart.title, altText: chart.altText, message: isEmptyChart(chart) ? chart.message : undefined },
      png,
      kind,
      visible ? interaction.user.username : undefined,
    ),
  );
}
