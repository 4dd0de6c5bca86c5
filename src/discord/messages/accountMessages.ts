import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { PrivacySettings } from '../../app/privacy/privacy.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed } from '../replies.js';
import { discordTime } from './format.js';
import { privacyMessage } from './privacyMessage.js';
import type { Erased } from '../../app/accounts/personalData.js';

/** The DM after Spotify's consent: who is linked, when to renew, and the privacy choices. */
export function linkedDm(
  linked: { displayName: string; renewBy: number },
  privacy: PrivacySettings,
  guild?: { id: string; name: string | undefined },
) {
  // A server whose name Discord did not give is still the one the member linked from.
  const controls = privacyMessage(privacy, guild && { id: guild.id, name: guild.name ?? 'your server' });
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

const s = (n: number) => (n === 1 ? '' : 's');

/** One line of the /unlink receipt: what an eraser deleted, in the member's words. */
export function erasedWords({ kind, count: n }: Erased): string {
  switch (kind) {
    case 'spotify-link':
      return 'your Spotify link';
    case 'spotify-tokens':
      return 'your Spotify access tokens';
    case 'listening-sources':
      return n === 1 ? 'your ListenBrainz or Last.fm connection' : 'your ListenBrainz and Last.fm connections';
    case 'unused-lastfm-links':
      return `${n} unused Last.fm link${s(n)}`;
    case 'unused-link-links':
      return `${n} unused /link link${s(n)}`;
    case 'link-requests':
      return 'the times you ran /link';
    case 'privacy':
      return 'your privacy choices';
    case 'member-settings':
      return 'your settings (time zone)';
    case 'listening-history':
      return `your listening history (${n.toLocaleString('en-US')} play${s(n)})`;
    case 'history-imports':
      return `the record of your ${n === 1 ? 'history import' : `${n} history imports`}`;
    case 'unused-import-links':
      return `${n} unused /import link${s(n)}`;
    case 'sort-jobs':
      return `${n} sort job${s(n)}`;
    case 'digest-admin':
      return `you as the admin of ${n === 1 ? 'a server’s' : `${n} servers’`} weekly digest`;
    case 'weekly-wrapped-records':
      return 'the record of which weekly DMs you got';
    case 'social':
      return 'your place on the server leaderboards and the crowns you held';
    case 'server-departures':
      return 'the servers you left while sharing your listening there';
    case 'suggestion-feedback':
      return 'your 👍 and 👎 on suggestions';
    case 'suggestion-answers':
      return `${n === 1 ? 'a list' : `${n} lists`} of suggestions you were shown`;
    case 'encore-radar':
      return 'your weekly Encore Radar (the playlist stays in your Spotify, no longer refreshed)';
    case 'server-playlists':
      return `${n === 1 ? 'a server playlist' : `${n} server playlists`} kept in your Spotify (stays there, no longer refreshed)`;
    case 'linked-roles':
      return 'your Linked Roles connection (Discord no longer holds your Encore figures)';
  }
}

/** /unlink's answer: what was deleted, in the member's words. */
export function unlinkedMessage(deleted: readonly Erased[]) {
  const description = deleted.length
    ? `Deleted: ${deleted.map(erasedWords).join(', ')}. Encore keeps nothing else about you.`
    : 'Encore had nothing stored about you.';
  return { embeds: [brandEmbed({ title: 'Unlinked', description })], components: [] };
}

export const unlinkKeptMessage = () => ({
  embeds: [brandEmbed({ description: 'Nothing was deleted.' })],
  components: [],
});
export const notYourButton = () => ({ content: 'This button isn’t yours.' });
