import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { chartForMember } from '../src/app/charts/chartForMember.js';
import { COVER_GRID_KINDS, coverGridFor, type CoverGridKind, type CoverGridSize } from '../src/app/charts/coverGrid.js';
import type { HistoryPeriod } from '../src/app/charts/historyChart.js';
import type { MemberChartKind, TimeRange } from '../src/app/charts/memberChart.js';
import { serverChartData, type ServerChartKind } from '../src/app/social/social.js';
import { buildMemberChart, isEmptyChart, renderEmptyChart } from '../src/charts/index.js';
import { buildServerChart } from '../src/charts/serverChart.js';
import { UserError } from '../src/core/errors.js';
import {
  requireServices,
  serviceNeeds,
  type CommandContext,
  type CommandInteraction,
  type ServicesWith,
} from '../src/discord/command.js';
import { chartMessage } from '../src/discord/messages/chartMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('chart')
  .setDescription('A chart of what you listen to')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addStringOption((o) =>
    o
      .setName('kind')
      .setDescription('Which chart')
      .setRequired(true)
      .addChoices(
        { name: 'Top genres', value: 'top-genres' },
        { name: 'Top artists', value: 'top-artists' },
        { name: 'Top tracks', value: 'top-tracks' },
        { name: 'Listening clock (hour × weekday)', value: 'listening-clock' },
        { name: 'Genre mix over the weeks', value: 'genre-mix' },
        { name: 'Album covers grid', value: 'albums-grid' },
        { name: 'Artist covers grid', value: 'artists-grid' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('period')
      .setDescription('From your listening history, with play counts and minutes')
      .addChoices(
        { name: 'This week (past 7 days)', value: 'week' },
        { name: 'This month (past 30 days)', value: 'month' },
        { name: 'This year (past 12 months)', value: 'year' },
        { name: 'All time', value: 'all' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('range')
      .setDescription('Spotify’s spans: counted from your history when it covers them, else Spotify’s top lists')
      .addChoices(
        { name: 'Last 4 weeks', value: 'short_term' },
        { name: 'Last 6 months', value: 'medium_term' },
        { name: 'Last 12 months', value: 'long_term' },
      ),
  )
  .addBooleanOption((o) =>
    o.setName('public').setDescription('Post it for everyone in the channel (default: only you)'),
  )
  .addStringOption((o) =>
    o
      .setName('size')
      .setDescription('Cover grids: how many covers (default 3×3)')
      .addChoices({ name: '3×3', value: '3x3' }, { name: '4×4', value: '4x4' }, { name: '5×5', value: '5x5' }),
  )
  .addStringOption((o) =>
    o
      .setName('scope')
      .setDescription('Your listening (default) or this server’s: top genres, top artists, listening clock')
      .addChoices({ name: 'Me', value: 'me' }, { name: 'This server', value: 'server' }),
  );

const memberChartNeeds = serviceNeeds('charts', 'accounts', 'charts');
const serverChartNeeds = serviceNeeds('server charts', 'social', 'charts');
const gridNeeds = serviceNeeds('cover grids', 'coverGrids', 'historyReader');
const isGrid = (interaction: CommandInteraction) =>
  interaction.isChatInputCommand() &&
  (COVER_GRID_KINDS as readonly string[]).includes(interaction.options.getString('kind') ?? '');
const isServerScope = (interaction: CommandInteraction) =>
  interaction.isChatInputCommand() && interaction.options.getString('scope') === 'server';
/** A member's chart reads their history or their Spotify; scope:server reads what the server's members share. */
export const needs = (interaction: CommandInteraction) => [
  isServerScope(interaction) ? serverChartNeeds : isGrid(interaction) ? gridNeeds : memberChartNeeds,
];

/** Spotify's top items for the member (one or two requests), with the genre resolver for empty genre lists. */
async function topItems(services: ServicesWith<'accounts'>, memberId: string) {
  const spotify = await services.accounts.spotifyFor(memberId);
  const genres = services.genres;
  return {
    topArtists: spotify.topArtists.bind(spotify),
    topTracks: spotify.topTracks.bind(spotify),
    genresForArtists:
      genres && ((artists: Array<{ id: string; name: string }>) => genres.forArtists(memberId, artists)),
  };
}

/**
 * A member's chart from their history first (a period, the clock, the genre mix, and a top list
 * whose range the history covers), else Spotify's top lists for a range (src/app/charts/chartForMember.ts).
 */
export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  const visible = interaction.options.getBoolean('public') ?? false;
  if (isServerScope(interaction)) return serverChart(interaction, requireServices(services, serverChartNeeds), visible);
  if (isGrid(interaction)) return gridChart(interaction, requireServices(services, gridNeeds), visible);
  await interaction.deferReply(visible ? {} : { flags: MessageFlags.Ephemeral });
  const ready = requireServices(services, memberChartNeeds);
  const memberId = interaction.user.id;
  const kind = interaction.options.getString('kind', true) as MemberChartKind;
  const settings = services.settings;
  const { data: chartData, notes } = await chartForMember(
    {
      kind,
      memberId,
      period: (interaction.options.getString('period') as HistoryPeriod | null) ?? undefined,
      range: (interaction.options.getString('range') as TimeRange | null) ?? undefined,
      now: services.now?.() ?? Date.now(),
    },
    {
      history: services.historyReader,
      timeZoneOf: (id) => settings?.timeZoneOf(id) ?? Promise.resolve(undefined),
      spotifyLinked: async () => !!(await ready.accounts.repo.getLink(memberId)),
      spotify: () => topItems(ready, memberId),
    },
  );
  const chart = buildMemberChart(chartData);
  const png = isEmptyChart(chart)
    ? await renderEmptyChart(chart.title, chart.message)
    : await ready.charts.render(chart);
  await interaction.editReply(
    chartMessage(
      { title: chart.title, altText: chart.altText, message: isEmptyChart(chart) ? chart.message : undefined },
      png,
      kind,
      visible ? interaction.user.username : undefined,
      notes,
    ),
  );
}

const SERVER_KINDS = new Set<string>(['top-genres', 'top-artists', 'listening-clock']);

/** scope:server: the server's chart over the members who share their listening here. */
async function serverChart(
  interaction: ChatInputCommandInteraction,
  services: ServicesWith<'social' | 'charts'>,
  visible: boolean,
) {
  if (!interaction.inGuild()) throw new UserError('social.serverOnly');
  const kind = interaction.options.getString('kind', true);
  if (!SERVER_KINDS.has(kind)) throw new UserError('social.serverChartKind');
  const period = (interaction.options.getString('period') ?? 'month') as HistoryPeriod;
  await interaction.deferReply(visible ? {} : { flags: MessageFlags.Ephemeral });
  const guildName = interaction.guild?.name ?? 'this server';
  const data = await serverChartData(services.social, interaction.guildId, kind as ServerChartKind, period);
  const chart = buildServerChart(data, { guildName, period });
  const png = isEmptyChart(chart)
    ? await renderEmptyChart(chart.title, chart.message)
    : await services.charts.render(chart);
  await interaction.editReply(
    chartMessage(
      { title: chart.title, altText: chart.altText, message: isEmptyChart(chart) ? chart.message : undefined },
      png,
      `server-${kind}`,
      visible ? interaction.user.username : undefined,
    ),
  );
}

/** kind:albums-grid|artists-grid: the member's top albums or artists as a grid of covers, from their history. */
async function gridChart(
  interaction: ChatInputCommandInteraction,
  services: ServicesWith<'coverGrids' | 'historyReader'>,
  visible: boolean,
) {
  await interaction.deferReply(visible ? {} : { flags: MessageFlags.Ephemeral });
  const kind = interaction.options.getString('kind', true) as CoverGridKind;
  const period = (interaction.options.getString('period') as HistoryPeriod | null) ?? 'month';
  const grid = await coverGridFor(
    {
      kind,
      size: (interaction.options.getString('size') as CoverGridSize | null) ?? '3x3',
      period,
      memberId: interaction.user.id,
      now: services.now?.() ?? Date.now(),
    },
    { history: services.historyReader, covers: services.coverGrids.reader },
  );
  const message = grid.tiles.length ? undefined : 'No plays in this period yet: listen a little and ask again.';
  const png = message ? await renderEmptyChart(grid.title, message) : await services.coverGrids.render(grid);
  await interaction.editReply(
    chartMessage(
      { title: grid.title, altText: grid.altText, message },
      png,
      kind,
      visible ? interaction.user.username : undefined,
    ),
  );
}
