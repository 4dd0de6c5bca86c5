import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { privacyOf, setVisibleIn, setWeeklyDm } from '../src/app/privacy/privacy.js';
import { serviceNeeds, type CommandContext } from '../src/discord/command.js';
import {
  isPrivacyPanel,
  notInServerMessage,
  privacyComponentIds,
  privacyMessage,
} from '../src/discord/messages/privacyMessage.js';
import type { Services } from '../src/app/services.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('privacy')
  .setDescription('Choose whether others see your listening here, and your weekly DM')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE);
/** Acknowledged before the database is read: a slow database must not miss Discord's 3 seconds. */
export const defer = 'ephemeral';

export const needs = serviceNeeds('privacy settings', 'privacy');

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'privacy'>,
): Promise<void> {
  const settings = await privacyOf(services.privacy, interaction.user.id);
  const guild = interaction.guild ? { id: interaction.guild.id, name: interaction.guild.name } : undefined;
  await interaction.editReply(privacyMessage(settings, guild));
}

/**
 * Whether the member who pressed a button is in the server it is about. The server comes from the
 * component id, which a client can forge: only the interaction's own server is vouched for by
 * Discord; any other (the "Linked as" DM's buttons) is asked of Discord now, and anything but "a
 * member" counts as no. (The cached isMember answers yes when Discord fails, so an outage takes no
 * one off the boards; here a yes gives consent, which must not be given on a guess.)
 */
async function isIn(interaction: MessageComponentInteraction, services: Services, guildId: string): Promise<boolean> {
  if (interaction.guildId === guildId) return true;
  const presence = services.social?.presence;
  return presence?.check ? (await presence.check(guildId, interaction.user.id)) === 'member' : false;
}

/**
 * A privacy button, on /privacy's reply or on the "Linked as …" DM: acknowledged first, then the
 * choice is saved and the panel redrawn in place. Whatever else the message says (the DM's
 * "Linked as" line and renew-by date) is kept. Showing oneself in a server takes being in it;
 * hiding oneself is always possible (a member who left withdraws what they gave there).
 */
export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext<'privacy'>,
): Promise<void> {
  const id = privacyComponentIds.decode(interaction.customId);
  if (!id) return;
  const { guildId } = id;
  const on = id.to === 'on';
  const store = services.privacy;
  await interaction.deferUpdate();
  const member = guildId ? await isIn(interaction, services, guildId) : false;
  if (id.action === 'visible' && on && !member)
    return void (await interaction.followUp({ ...notInServerMessage(), flags: MessageFlags.Ephemeral }));
  const settings =
    id.action === 'visible'
      ? await setVisibleIn(store, interaction.user.id, guildId, on)
      : await setWeeklyDm(store, interaction.user.id, on);
  // The panel names only a server the member is in (a forged id must not learn a server's name).
  const guild = member
    ? { id: guildId, name: interaction.client.guilds.cache.get(guildId)?.name ?? 'this server' }
    : undefined;
  const panel = privacyMessage(settings, guild);
  const others = interaction.message.embeds.filter((embed) => !isPrivacyPanel(embed)).map((embed) => embed.toJSON());
  await interaction.editReply({ embeds: [...others, ...panel.embeds], components: panel.components });
}
