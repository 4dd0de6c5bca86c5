import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { PrivacySettings } from '../../app/privacy/privacy.js';
import { brandEmbed } from '../replies.js';
import { discordTime } from './format.js';
import { privacyMessage } from './privacyMessage.js';

/** The DM after Spotify's consent: who is linked, when to renew, and the privacy choices. */
export function linkedDm(linked: { displayName: string; renewBy: number }, privacy: PrivacySettings, guild?: { id: string; name: string }) {
  const controls = privacyMessage(privacy, guild);
  return {
    embeds: [
      brandEmbed({
        title: `Linked as ${linked.displayName}`,
        description: `You’re all set. Try **/chart** or **/sort**. Spotify ends links after six months: I’ll remind you to renew before ${discordTime(linked.renewBy, 'D')}.`,
      }),
      ...controls.embeds,
    ],
    components: controls.components,
  };
}

const ONE_TIME = 'This link works once, for ten minutes — or run /link any time.';

/** A DM with a fresh one-time link: the link is about to end (`endsAt`) or has ended. */
export function relinkDm(url: string, endsAt?: number) {
  const text =
    endsAt === undefined
      ? `Spotify ended your link (it does that six months after you approve Encore). Your history is kept: link again and everything carries on. ${ONE_TIME}`
      : `Spotify will end your link ${discordTime(endsAt)} (six months after you approved Encore). Link again now and nothing is interrupted. ${ONE_TIME}`;
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link Spotify again'));
  return { embeds: [brandEmbed({ title: 'Renew your Spotify link', description: text })], components: [button] };
}
