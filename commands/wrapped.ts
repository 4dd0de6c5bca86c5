import { SlashCommandBuilder, type ChatInputCommandInteraction, type InteractionEditReplyOptions } from 'discord.js';
import { showWrapped } from '../src/app/digest/weeklyWrapped.js';
import { showServerYear } from '../src/app/serverYear/serverYear.js';
import { UserError } from '../src/core/errors.js';
import type { WrappedPeriod } from '../src/core/digest/index.js';
import { requireServices, serviceNeeds, type CommandContext, type CommandInteraction } from '../src/discord/command.js';
import { utcDay } from '../src/core/time/utcDay.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('wrapped')
  .setDescription('Your own wrapped: your week, month, year or all time, any day')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addStringOption((o) =>
    o
      .setName('period')
      .setDescription('Which period (default: this week)')
      .addChoices(
        { name: 'This week (past 7 days)', value: 'week' },
        { name: 'This month (past 30 days)', value: 'month' },
        { name: 'This year (past 12 months)', value: 'year' },
        { name: 'All time', value: 'all' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('scope')
      .setDescription('Yours, or the whole server’s (its year, with awards)')
      .addChoices({ name: 'Me', value: 'me' }, { name: 'This server (period: year)', value: 'server' }),
  );

/** Personal: only the member sees it. */
export const defer = 'ephemeral';

const wrappedNeeds = serviceNeeds('wrapped', 'digest');
const serverYearNeeds = serviceNeeds('the server’s year', 'serverYear');
const isServer = (interaction: CommandInteraction) =>
  interaction.isChatInputCommand() && interaction.options.getString('scope') === 'server';
export const needs = (interaction: CommandInteraction) =>
  isServer(interaction) ? [wrappedNeeds, serverYearNeeds] : [wrappedNeeds];

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'digest'>,
): Promise<void> {
  const period = (interaction.options.getString('period') ?? 'week') as WrappedPeriod;
  const now = services.now?.() ?? Date.now();
  if (interaction.options.getString('scope') === 'server') {
    // The server's year only: a server's week or month is the weekly digest.
    if (period !== 'year' && interaction.options.getString('period') !== null)
      throw new UserError('serverYear.yearOnly');
    const deps = requireServices(services, serverYearNeeds).serverYear;
    await interaction.editReply((await showServerYear(deps, interaction.guildId, now)) as InteractionEditReplyOptions);
    return;
  }
  const history = services.historyReader;
  const today = utcDay(now);
  const firstPlayAt =
    history && (async (memberId: string) => (await history.summary(memberId, today, today)).firstPlayAt);
  const message = await showWrapped(services.digest, interaction.user.id, period, now, firstPlayAt);
  // Message models come from the builders in src/discord/messages, which make discord.js objects.
  await interaction.editReply(message as InteractionEditReplyOptions);
}
