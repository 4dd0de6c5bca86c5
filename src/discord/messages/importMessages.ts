import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { ImportSummary } from '../../app/history/importHistory.js';
import { brandEmbed } from '../replies.js';
import { discordTime } from './format.js';

const count = (n: number) => n.toLocaleString('en-US');
const month = (ms: number) => new Date(ms).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** /import: the one-time upload link (in a DM, or in the ephemeral reply when DMs are closed). */
export function importLinkMessage(url: string, expiresAt: number, dmsClosed = false) {
  const explain = `Open it, then drop the zip Spotify sent you (or the JSON files inside it). Request yours on Spotify’s privacy page: “Extended streaming history” has every play since you joined, “Account data” the last year and arrives sooner. This link is just for you, works once and expires ${discordTime(expiresAt)}.`;
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Upload my history'),
  );
  const description = dmsClosed
    ? `I couldn’t DM you (your DMs from this server are closed), so here is your link. ${explain}`
    : explain;
  return { embeds: [brandEmbed({ title: 'Import your Spotify history', description })], components: [button] };
}

/** /import's reply once the DM went out. */
export const importLinkSentMessage = () => ({
  embeds: [brandEmbed({ description: '📬 I’ve sent you a DM with your private upload link.' })],
});

/** One line about an import, for the upload page and the DM: "Imported 183,442 plays from March 2014 to November 2026". */
export function importSummaryText(s: ImportSummary): string {
  const range =
    s.from === undefined || s.to === undefined
      ? ''
      : month(s.from) === month(s.to)
        ? ` in ${month(s.from)}`
        : ` from ${month(s.from)} to ${month(s.to)}`;
  const head = s.imported
    ? `Imported ${count(s.imported)} play${s.imported === 1 ? '' : 's'}${range}.`
    : `Nothing new to import${range ? ` (your export covers plays${range})` : ''}.`;
  const notes = [
    s.duplicates ? `${count(s.duplicates)} already in your history` : '',
    s.podcasts ? `${count(s.podcasts)} podcast or audiobook plays counted apart` : '',
    s.short ? `${count(s.short)} plays under 30 seconds skipped` : '',
  ].filter(Boolean);
  return notes.length ? `${head} ${notes.join('; ')}.` : head;
}

/** The DM when an import is stored. */
export const importDoneDm = (s: ImportSummary) => ({
  embeds: [
    brandEmbed({ title: 'Your listening history is in', description: `${importSummaryText(s)} Try **/chart**.` }),
  ],
});
