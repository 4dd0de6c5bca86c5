import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { PrivacySettings } from '../../app/privacy/privacy.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed } from '../replies.js';
import { discordTime } from './format.js';
import { privacyMessage } from './privacyMessage.js';

/** The DM after Spotify's consent: who is linked, when to renew, and the privacy choices. */
export function linkedDm(
  linked: { displayName: string; renewBy: number },
  privacy: PrivacySettings,
  guild?: { id: string; name: string },
) {
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
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link Spotify again'),
  );
  return { embeds: [brandEmbed({ title: 'Renew your Spotify link', description: text })], components: [button] };
}

/** /link's DM (or, with DMs closed, its private reply): the one-time link button. */
export function linkMessage(url: string, expiresAt: number, dmsClosed = false) {
  const explain = `This link is just for you, works once and expires ${discordTime(expiresAt)}. Spotify will ask you to approve Encore.`;
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link Spotify'),
  );
  const description = dmsClosed
    ? `I couldn’t DM you (your DMs from this server are closed), so here is your link. ${explain}`
    : explain;
  return { embeds: [brandEmbed({ title: 'Link your Spotify account', description })], components: [button] };
}

/** /link's reply once the DM went out. */
export const linkSentMessage = () => ({
  embeds: [brandEmbed({ description: '📬 I’ve sent you a DM with your private link.' })],
});

/** /profile: the linked account and when it needs renewing. */
export function profileMessage(link: {
  displayName: string;
  spotifyAccountId: string;
  consentAt: number;
  renewBy: number;
  status: 'active' | 'dead';
}) {
  return {
    embeds: [
      brandEmbed({
        title: `Linked as ${link.displayName}`,
        fields: [
          { name: 'Spotify account', value: link.spotifyAccountId, inline: true },
          { name: 'Linked since', value: discordTime(link.consentAt, 'D'), inline: true },
          {
            name: 'Renew by',
            value: `${discordTime(link.renewBy, 'D')} (${discordTime(link.renewBy, 'R')}) — Spotify ends links after six months; run /link again before then.`,
          },
          { name: 'Status', value: link.status === 'active' ? 'Working' : 'Expired — run /link to link again' },
        ],
      }),
    ],
  };
}

/** /unlink's buttons: the id carries who may press them. */
export const unlinkComponentIds = componentIdCodec('unlink', ['confirm', 'cancel'], ['ownerId']);

/** /unlink's question, with buttons only the member may press. */
export function unlinkQuestionMessage(ownerId: string) {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(unlinkComponentIds.encode({ action: 'confirm', ownerId }))
      .setLabel('Delete my data')
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(unlinkComponentIds.encode({ action: 'cancel', ownerId }))
      .setLabel('Keep it')
      .setStyle(ButtonStyle.Secondary),
  );
  return {
    embeds: [
      brandEmbed({
        title: 'Unlink Spotify?',
        description:
          'This deletes your Spotify link and tokens, your sort jobs and everything else Encore stores about you. It can’t be undone.',
      }),
    ],
    components: [row],
  };
}

/** /unlink's answer: what was deleted, in the member's words. */
export function unlinkedMessage(deleted: readonly string[]) {
  const description = deleted.length
    ? `Deleted: ${deleted.join(', ')}. Encore keeps nothing else about you.`
    : 'Encore had nothing stored about you.';
  return { embeds: [brandEmbed({ title: 'Unlinked', description })], components: [] };
}

export const unlinkKeptMessage = () => ({
  embeds: [brandEmbed({ description: 'Nothing was deleted.' })],
  components: [],
});
export const notYourButton = () => ({ content: 'This button isn’t yours.' });
