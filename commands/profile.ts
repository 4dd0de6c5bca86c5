import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { NotLinkedError } from '../src/core/errors.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import { profileMessage } from '../src/discord/messages/accountMessages.js';
import { sourcesProfileMessage } from '../src/discord/messages/sourceMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('profile')
  .setDescription('Your linked Spotify, ListenBrainz and Last.fm accounts')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);
/** Acknowledged before the database is read: a slow database must not miss Discord's 3 seconds. */
export const defer = 'ephemeral';

export const needs = serviceNeeds('Spotify linking', 'accounts');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'accounts'>,
): Promise<void> {
  const [link, sources] = await Promise.all([
    services.accounts.profile(interaction.user.id),
    services.sources?.links.linksOf(interaction.user.id) ?? [],
  ]);
  if (!link && !sources.length) throw new NotLinkedError();
  const spotify = link ? profileMessage(link).embeds : [];
  await interaction.editReply({ embeds: [...spotify, ...sourcesProfileMessage(sources).embeds] });
}
