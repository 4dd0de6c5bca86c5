import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { assertComparable, compat } from '../src/app/social/social.js';
import { UserError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { compatMessage } from '../src/discord/messages/socialMessages.js';
import { EVERY_INSTALL, IN_SERVERS } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('compat')
  .setDescription('How compatible your taste is with another member’s (both must share their listening here)')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(IN_SERVERS)
  .addUserOption((o) => o.setName('member').setDescription('Who to compare with').setRequired(true));

export const needs = serviceNeeds('server social', 'social');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'social'>,
): Promise<void> {
  if (!interaction.inGuild()) throw new UserError('social.serverOnly');
  const deps = services.social;
  const query = {
    guildId: interaction.guildId,
    callerId: interaction.user.id,
    otherId: interaction.options.getUser('member', true).id,
  };
  // Acknowledged first (a slow database must not miss Discord's 3 s); a refusal then withdraws the
  // public "thinking…" and tells the asker alone (the router's error boundary).
  await interaction.deferReply();
  await assertComparable(deps, query);
  await interaction.editReply(compatMessage(await compat(deps, query)));
}
