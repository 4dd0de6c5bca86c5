import { discordTime } from '../src/discord/messages/format.js';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, SlashCommandBuilder, type ChatInputCommandInteraction, type User } from 'discord.js';
import { startLink } from '../src/app/accounts/linking.js';
import { UserError } from '../src/core/errors.js';
import type { CommandContext } from '../src/discord/command.js';
import { brandEmbed } from '../src/discord/replies.js';

export const data = new SlashCommandBuilder().setName('link').setDescription('Link your Spotify account (I’ll DM you a private link)');
export const defer = 'ephemeral';

/** How the link's page names the member, so someone opening a forwarded link sees it isn't theirs. */
const discordNameOf = (user: User) => (user.globalName && user.globalName !== user.username ? `${user.globalName} (@${user.username})` : `@${user.username}`);

export async function execute(interaction: ChatInputCommandInteraction, { services }: CommandContext): Promise<void> {
  if (!services.accounts || !services.sendDm) throw new UserError('command.notConfigured', { what: 'Spotify linking' });
  const { url, expiresAt } = await startLink(services.accounts.linking, interaction.user.id, interaction.guildId ?? undefined, discordNameOf(interaction.user));
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link Spotify'));
  const explain = `This link is just for you, works once and expires ${discordTime(expiresAt)}. Spotify will ask you to approve Encore.`;
  const dm = await services.sendDm(interaction.user.id, { embeds: [brandEmbed({ title: 'Link your Spotify account', description: explain })], components: [button] });
  if (dm === 'sent') {
    await interaction.editReply({ embeds: [brandEmbed({ description: '📬 I’ve sent you a DM with your private link.' })] });
  } else {
    // DMs are closed: the ephemeral reply is private too, so it can carry the link itself.
    await interaction.editReply({ embeds: [brandEmbed({ title: 'Link your Spotify account', description: `I couldn’t DM you (your DMs from this server are closed), so here is your link. ${explain}` })], components: [button] });
  }
}

