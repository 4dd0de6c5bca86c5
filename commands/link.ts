import { SlashCommandBuilder, type ChatInputCommandInteraction, type User } from 'discord.js';
import { startLink } from '../src/app/accounts/linking.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { linkMessage, linkSentMessage } from '../src/discord/messages/accountMessages.js';

export const data = new SlashCommandBuilder()
  .setName('link')
  .setDescription('Link your Spotify account (I’ll DM you a private link)');
export const defer = 'ephemeral';

/** How the link's page names the member, so someone opening a forwarded link sees it isn't theirs. */
const discordNameOf = (user: User) =>
  user.globalName && user.globalName !== user.username ? `${user.globalName} (@${user.username})` : `@${user.username}`;

export const needs = serviceNeeds('Spotify linking', 'accounts', 'sendDm');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'accounts' | 'sendDm'>,
): Promise<void> {
  const { url, expiresAt } = await startLink(
    services.accounts.linking,
    interaction.user.id,
    interaction.guildId ?? undefined,
    discordNameOf(interaction.user),
  );
  const dm = await services.sendDm(interaction.user.id, linkMessage(url, expiresAt));
  // DMs closed: the ephemeral reply is private too, so it can carry the link itself.
  await interaction.editReply(dm === 'sent' ? linkSentMessage() : linkMessage(url, expiresAt, true));
}
