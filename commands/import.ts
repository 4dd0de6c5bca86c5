import { SlashCommandBuilder, type ChatInputCommandInteraction, type User } from 'discord.js';
import { startImport } from '../src/app/history/importLinks.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { importLinkMessage, importLinkSentMessage } from '../src/discord/messages/importMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('import')
  .setDescription('Import your whole Spotify history from Spotify’s data export (I’ll DM you a private upload link)')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);
export const defer = 'ephemeral';

/** How the upload page names the member (as /link's page does), so someone opening a forwarded link sees it isn't theirs. */
const discordNameOf = (user: User) =>
  user.globalName && user.globalName !== user.username ? `${user.globalName} (@${user.username})` : `@${user.username}`;

export const needs = serviceNeeds('history import', 'historyImport', 'sendDm');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'historyImport' | 'sendDm'>,
): Promise<void> {
  const { url, expiresAt } = await startImport(
    services.historyImport,
    interaction.user.id,
    discordNameOf(interaction.user),
  );
  const dm = await services.sendDm(interaction.user.id, importLinkMessage(url, expiresAt));
  // DMs closed: the ephemeral reply is private too, so it can carry the link itself.
  await interaction.editReply(dm === 'sent' ? importLinkSentMessage() : importLinkMessage(url, expiresAt, true));
}
