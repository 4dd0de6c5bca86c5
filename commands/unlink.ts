import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type MessageComponentInteraction } from 'discord.js';
import { UserError } from '../src/core/errors.js';
import { unlinkMember } from '../src/app/accounts/personalData.js';
import type { CommandContext } from '../src/discord/command.js';
import { brandEmbed } from '../src/discord/replies.js';

export const data = new SlashCommandBuilder().setName('unlink').setDescription('Unlink Spotify and delete everything Encore stores about you');

export async function execute(interaction: ChatInputCommandInteraction): Promise<void> {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`unlink:confirm:${interaction.user.id}`).setLabel('Delete my data').setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(`unlink:cancel:${interaction.user.id}`).setLabel('Keep it').setStyle(ButtonStyle.Secondary),
  );
  await interaction.reply({
    embeds: [brandEmbed({ title: 'Unlink Spotify?', description: 'This deletes your Spotify link and tokens, your sort jobs and everything else Encore stores about you. It can’t be undone.' })],
    components: [row],
    flags: MessageFlags.Ephemeral,
  });
}

export async function handleComponent(interaction: MessageComponentInteraction, { services }: CommandContext): Promise<void> {
  const [, action, owner] = interaction.customId.split(':');
  if (owner !== interaction.user.id) return void (await interaction.reply({ content: 'This button isn’t yours.', flags: MessageFlags.Ephemeral }));
  if (action === 'cancel') return void (await interaction.update({ embeds: [brandEmbed({ description: 'Nothing was deleted.' })], components: [] }));
  // Erasing touches every kind of personal data: acknowledge first, Discord allows 3 seconds.
  await interaction.deferUpdate();
  if (!services.accounts) throw new UserError('command.notConfigured', { what: 'Spotify linking' });
  const { deleted } = await unlinkMember(services.personalData, interaction.user.id);
  const description = deleted.length ? `Deleted: ${deleted.join(', ')}. Encore keeps nothing else about you.` : 'Encore had nothing stored about you.';
  await interaction.editReply({ embeds: [brandEmbed({ title: 'Unlinked', description })], components: [] });
}
