import { discordTime } from '../src/discord/messages/format.js';
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { NotLinkedError, UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/command.js';
import { brandEmbed } from '../src/discord/replies.js';

export const data = new SlashCommandBuilder().setName('profile').setDescription('Your linked Spotify account and when the link needs renewing');
/** Acknowledged before the database is read: a slow database must not miss Discord's 3 seconds. */
export const defer = 'ephemeral';

const ts = (ms: number, style: 'D' | 'R') => discordTime(ms, style);

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  if (!services.accounts) throw new UserError('command.notConfigured', { what: 'Spotify linking' });
  const link = await services.accounts.profile(interaction.user.id);
  if (!link) throw new NotLinkedError();
  await interaction.editReply({
    embeds: [
      brandEmbed({
        title: `Linked as ${link.displayName}`,
        fields: [
          { name: 'Spotify account', value: link.spotifyAccountId, inline: true },
          { name: 'Linked since', value: ts(link.consentAt, 'D'), inline: true },
          { name: 'Renew by', value: `${ts(link.renewBy, 'D')} (${ts(link.renewBy, 'R')}) — Spotify ends links after six months; run /link again before then.` },
          { name: 'Status', value: link.status === 'active' ? 'Working' : 'Expired — run /link to link again' },
        ],
      }),
    ],
  });
}
