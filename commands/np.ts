import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { nowPlaying } from '../src/app/nowPlaying/nowPlaying.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import {
  notYourNowPlaying,
  nowPlayingConsentMessage,
  nowPlayingIds,
  nowPlayingMessage,
} from '../src/discord/messages/nowPlayingMessages.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('np')
  .setDescription('What you’re playing now (or played last), with your plays and who here listens too')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);

// Public, like .fmbot's `fm`: showing what one plays is the point. Refusals still go to the member alone.
export const defer = 'public';
export const needs = serviceNeeds('now playing', 'nowPlaying');

type Interaction = ChatInputCommandInteraction | MessageComponentInteraction;

const answerFor = async (interaction: Interaction, { services }: CommandContext<'nowPlaying'>) =>
  nowPlaying(services.nowPlaying, {
    memberId: interaction.user.id,
    ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
  });

const whoOf = (interaction: Interaction) => ({
  ownerId: interaction.user.id,
  ownerName: interaction.user.displayName,
  ...(interaction.guild
    ? { guildName: interaction.guild.name }
    : interaction.guildId
      ? { guildName: 'this server' }
      : {}),
});

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext<'nowPlaying'>) {
  const result = await answerFor(interaction, ctx);
  if (result.kind === 'consent') {
    // The consent link is the member's own: the public "thinking…" goes, the link comes privately.
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({
      ...nowPlayingConsentMessage(result.url, result.expiresAt),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await interaction.editReply(nowPlayingMessage(result.view, whoOf(interaction)));
}

/** 🔁 Refresh: only the member whose /np it is; anyone else is told so privately. */
export async function handleComponent(interaction: MessageComponentInteraction, ctx: CommandContext<'nowPlaying'>) {
  const id = nowPlayingIds.decode(interaction.customId);
  if (!id) return;
  if (id.ownerId !== interaction.user.id)
    return void (await interaction.reply({ ...notYourNowPlaying(id.ownerId), flags: MessageFlags.Ephemeral }));
  await interaction.deferUpdate();
  const result = await answerFor(interaction, ctx);
  if (result.kind === 'consent')
    return void (await interaction.followUp({
      ...nowPlayingConsentMessage(result.url, result.expiresAt),
      flags: MessageFlags.Ephemeral,
    }));
  await interaction.editReply(nowPlayingMessage(result.view, whoOf(interaction)));
}
