import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { NotLinkedError, UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/command.js';
import { profileMessage } from '../src/discord/messages/accountMessages.js';

export const data = new SlashCommandBuilder()
  .setName('profile')
  .setDescription('Your linked Spotify account and when the link needs renewing');
/** Acknowledged before the database is read: a slow database must not miss Discord's 3 seconds. */
export const defer = 'ephemeral';

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  if (!services.accounts) throw new UserError('command.notConfigured', { what: 'Spotify linking' });
  const link = await services.accounts.profile(interaction.user.id);
  if (!link) throw new NotLinkedError();
  await interaction.editReply(profileMessage(link));
}
