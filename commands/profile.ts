import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { NotLinkedError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { profileMessage } from '../src/discord/messages/accountMessages.js';

export const data = new SlashCommandBuilder()
  .setName('profile')
  .setDescription('Your linked Spotify account and when the link needs renewing');
/** Acknowledged before the database is read: a slow database must not miss Discord's 3 seconds. */
export const defer = 'ephemeral';

export const needs = serviceNeeds('Spotify linking', 'accounts');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'accounts'>,
): Promise<void> {
  const link = await services.accounts.profile(interaction.user.id);
  if (!link) throw new NotLinkedError();
  await interaction.editReply(profileMessage(link));
}
