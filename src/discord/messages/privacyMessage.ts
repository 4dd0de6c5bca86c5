import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { isVisibleIn, type PrivacySettings } from '../../app/privacy/privacy.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed } from '../replies.js';

const TITLE = 'What others can see';

/** Whether an embed is the privacy panel, so a button press redraws it and keeps what is around it. */
export const isPrivacyPanel = (embed: { title?: string | null }) => embed.title === TITLE;

// Ids already sent in "Linked as" DMs keep working: each button keeps its field order.
const visibleIds = componentIdCodec('privacy', ['visible'], ['guildId', 'to']);
const dmIds = componentIdCodec('privacy', ['dm'], ['to', 'guildId'], { optional: ['guildId'] });

/**
 * The panel's buttons: show or hide me in a server, or the weekly DM on or off (with the server the
 * panel was about, if any). `to` is what the press turns it to: "on", anything else means off.
 */
export const privacyComponentIds = {
  decode: (customId: string) => visibleIds.decode(customId) ?? dmIds.decode(customId),
};

/**
 * The privacy controls: where the member is visible and whether they get a weekly DM, with one
 * button per choice. Buttons are routed to /privacy ("privacy:…") wherever the message is.
 */
export function privacyMessage(settings: PrivacySettings, guild?: { id: string; name: string }) {
  const lines = [
    guild
      ? `**${guild.name}** leaderboards, digests and /whoknows: ${isVisibleIn(settings, guild.id) ? '✅ you appear' : '🚫 you don’t appear'}`
      : `Servers where you appear on leaderboards and digests: ${settings.visibleIn.length}`,
    `Personal weekly wrapped by DM: ${settings.weeklyDm ? '✅ on' : '🚫 off'}`,
  ];
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (guild) {
    const visible = isVisibleIn(settings, guild.id);
    row.addComponents(
      new ButtonBuilder()
        .setCustomId(visibleIds.encode({ action: 'visible', guildId: guild.id, to: visible ? 'off' : 'on' }))
        .setLabel(visible ? 'Hide me in this server' : 'Show me in this server')
        .setStyle(visible ? ButtonStyle.Secondary : ButtonStyle.Success),
    );
  }
  row.addComponents(
    new ButtonBuilder()
      .setCustomId(dmIds.encode({ action: 'dm', to: settings.weeklyDm ? 'off' : 'on', guildId: guild?.id ?? '' }))
      .setLabel(settings.weeklyDm ? 'Stop my weekly DM' : 'Send me a weekly DM')
      .setStyle(settings.weeklyDm ? ButtonStyle.Secondary : ButtonStyle.Success),
  );
  return {
    embeds: [
      brandEmbed({
        title: TITLE,
        description: lines.join('\n'),
        footer: 'Nothing about your listening is shown to anyone until you say yes. Change it any time with /privacy.',
      }),
    ],
    components: [row],
  };
}

/** A "Show me" press for a server the member is not in (a forged button, or a server they left). */
export const notInServerMessage = () => ({
  content:
    'You can only choose to appear in a server you are a member of. Run **/privacy** in that server to choose there.',
});
