import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { unlinkMember } from '../src/app/accounts/personalData.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import {
  notYourButton,
  unlinkComponentIds,
  unlinkedMessage,
  unlinkKeptMessage,
  unlinkQuestionMessage,
} from '../src/discord/messages/accountMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('unlink')
  .setDescription('Unlink Spotify and delete everything Encore stores about you')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);

export const needs = serviceNeeds('Spotify linking', 'accounts');

export async function execute(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.reply({ ...unlinkQuestionMessage(interaction.user.id), flags: MessageFlags.Ephemeral });
}

export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext,
): Promise<void> {
  const id = unlinkComponentIds.decode(interaction.customId);
  if (id?.ownerId !== interaction.user.id)
    return void (await interaction.reply({ ...notYourButton(), flags: MessageFlags.Ephemeral }));
  if (id?.action === 'cancel') return void (await interaction.update(unlinkKeptMessage()));
  // Erasing touches every kind of personal data: acknowledge first, Discord allows 3 seconds.
  await interaction.deferUpdate();
  const { deleted } = await unlinkMember(services.personalData, interaction.user.id);
  await interaction.editReply(unlinkedMessage(deleted));
}
