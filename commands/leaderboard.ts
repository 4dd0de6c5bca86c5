import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import type { LeaderboardMetric, SocialPeriod } from '../src/app/social/ports.js';
import { leaderboardPage } from '../src/app/social/social.js';
import { UserError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import {
  METRIC_LABELS,
  leaderboardComponentIds,
  leaderboardMessage,
  notYourBoardMessage,
  optInHintMessage,
} from '../src/discord/messages/socialMessages.js';
import { IN_SERVERS, SERVER_INSTALL } from '../src/discord/installContext.js';

const METRICS = Object.keys(METRIC_LABELS) as LeaderboardMetric[];
const PERIODS: SocialPeriod[] = ['week', 'month', 'year', 'all'];

export const data = new SlashCommandBuilder()
  .setName('leaderboard')
  .setDescription('Who in this server listens most (members who share their listening here)')
  .setIntegrationTypes(SERVER_INSTALL)
  .setContexts(IN_SERVERS)
  .addStringOption((o) =>
    o
      .setName('metric')
      .setDescription('What is ranked (default: minutes)')
      .addChoices(
        { name: 'Minutes listened', value: 'minutes' },
        { name: 'Plays', value: 'plays' },
        { name: 'Distinct artists', value: 'artists' },
        { name: 'Genre diversity', value: 'diversity' },
        { name: 'Discoveries (artists new to them)', value: 'discoveries' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('period')
      .setDescription('Over which time (default: past 7 days)')
      .addChoices(
        { name: 'Past 7 days', value: 'week' },
        { name: 'Past 30 days', value: 'month' },
        { name: 'Past 12 months', value: 'year' },
        { name: 'All time', value: 'all' },
      ),
  );

export const needs = serviceNeeds('server social', 'social');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'social'>,
): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('social.serverOnly');
  const deps = services.social;
  const metric = (interaction.options.getString('metric') ?? 'minutes') as LeaderboardMetric;
  const period = (interaction.options.getString('period') ?? 'week') as SocialPeriod;
  await interaction.deferReply();
  const view = await leaderboardPage(deps, {
    guildId: interaction.guildId,
    callerId: interaction.user.id,
    metric,
    period,
    page: 0,
  });
  await interaction.editReply(
    leaderboardMessage(view, {
      guildName: interaction.guild?.name ?? 'this server',
      callerId: interaction.user.id,
      accent: await accentOf(services, interaction.guildId),
    }),
  );
  if (view.you.kind === 'hidden' && view.total > 0)
    await interaction.followUp({ ...optInHintMessage(), flags: MessageFlags.Ephemeral });
}

/** Previous/Next: only for the member who asked; anyone else is told so and the board stays. */
export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext<'social'>,
): Promise<void> {
  const id = leaderboardComponentIds.decode(interaction.customId);
  if (!id) return void (await interaction.deferUpdate());
  const { metric, period, page, ownerId } = id;
  if (ownerId !== interaction.user.id)
    return void (await interaction.reply({ ...notYourBoardMessage(ownerId), flags: MessageFlags.Ephemeral }));
  await interaction.deferUpdate();
  // A board this version no longer knows stays as it is.
  if (
    !interaction.inGuild() ||
    !METRICS.includes(metric as LeaderboardMetric) ||
    !PERIODS.includes(period as SocialPeriod)
  )
    return;
  const view = await leaderboardPage(services.social, {
    guildId: interaction.guildId,
    callerId: interaction.user.id,
    metric: metric as LeaderboardMetric,
    period: period as SocialPeriod,
    page: Number(page),
  });
  await interaction.editReply(
    leaderboardMessage(view, {
      guildName: interaction.guild?.name ?? 'this server',
      callerId: interaction.user.id,
      accent: await accentOf(services, interaction.guildId),
    }),
  );
}

/** The server's accent colour (/digest accent), where the digest is set up; else Encore's own. */
async function accentOf(services: CommandContext<'social'>['services'], guildId: string): Promise<number | undefined> {
  return (await services.digest?.settings.get(guildId))?.accent;
}
