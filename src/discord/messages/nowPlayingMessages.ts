import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import type { NowPlayingSource, NowPlayingView } from '../../app/nowPlaying/nowPlaying.js';
import { componentIdCodec } from '../customId.js';
import { BRAND_COLOUR, brandEmbed, clip } from '../replies.js';
import { safeName } from './digestMessages.js';
import { discordTime, plural } from './format.js';

/** /np's refresh button: the id carries who may press it. */
export const nowPlayingIds = componentIdCodec('np', ['refresh'], ['ownerId']);

const SOURCE_NAMES: Record<NowPlayingSource, string> = {
  spotify: 'Spotify',
  listenbrainz: 'ListenBrainz',
  lastfm: 'Last.fm',
};

const refreshRow = (ownerId: string) =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(nowPlayingIds.encode({ action: 'refresh', ownerId }))
      .setEmoji('🔁')
      .setLabel('Refresh')
      .setStyle(ButtonStyle.Secondary),
  );

/**
 * /np: the member's track now (or their last one), its cover, their plays of it and of its artist,
 * and, in a server, how many of its opted-in members listen to that artist. Names are isolated so
 * right-to-left text cannot reorder the counts.
 */
export function nowPlayingMessage(
  view: NowPlayingView,
  who: { ownerId: string; ownerName: string; guildName?: string },
) {
  const embed = new EmbedBuilder().setColor(BRAND_COLOUR);
  const heading = view.state === 'playing' ? 'Now playing' : view.state === 'last' ? 'Last played' : 'Now playing';
  embed.setAuthor({ name: clip(`${who.ownerName} · ${heading}`, 256) });
  const { track } = view;
  if (!track) {
    embed.setDescription('Nothing played yet. Once your listening has a play, /np shows it here.');
    return { content: '', embeds: [embed], components: [refreshRow(who.ownerId)], allowedMentions: { parse: [] } };
  }
  embed.setTitle(clip(track.name.replace(/\s+/g, ' ').trim() || 'Untitled', 256));
  if (track.url) embed.setURL(track.url);
  if (track.imageUrl) embed.setThumbnail(track.imageUrl);
  const artist = track.artists[0]?.name ?? 'Unknown artist';
  const lines = [`by **${safeName(track.artists.map((a) => a.name).join(', '), 60)}**`];
  if (track.album) lines[0] += ` · *${safeName(track.album, 60)}*`;
  lines.push(
    view.state === 'playing'
      ? '▶️ Playing now'
      : `⏮️ Last played ${view.at === undefined ? '' : discordTime(view.at)}`.trim(),
  );
  embed.setDescription(lines.join('\n'));
  const counts = view.counts ?? { trackPlays: 0, artistPlays: 0 };
  const fields = [
    {
      name: 'Your plays',
      value: `**${plural(counts.trackPlays, 'play')}** of this track · **${plural(counts.artistPlays, 'play')}** of ${safeName(artist)}`,
    },
  ];
  if (view.server && who.guildName !== undefined) {
    const listeners = view.server.listeners;
    const rank = view.server.rank === undefined ? '' : ` · you’re **#${view.server.rank}**`;
    fields.push({
      name: `In ${clip(who.guildName, 100)}`,
      value:
        listeners === 0
          ? `Nobody here who shares their listening plays ${safeName(artist)} yet.`
          : `**${plural(listeners, 'member')}** listen${listeners === 1 ? 's' : ''} to ${safeName(artist)}${rank}`,
    });
  }
  embed.addFields(fields.map((f) => ({ name: f.name, value: clip(f.value, 1024) })));
  embed.setFooter({ text: view.source ? `via ${SOURCE_NAMES[view.source]}` : 'from your Encore history' });
  return { content: '', embeds: [embed], components: [refreshRow(who.ownerId)], allowedMentions: { parse: [] } };
}

/** A Spotify link made before /np existed: one more permission, through the same consent as /link. */
export function nowPlayingConsentMessage(url: string, expiresAt: number) {
  const button = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Allow on Spotify'),
  );
  return {
    embeds: [
      brandEmbed({
        title: 'One more permission for /np',
        description: `To show what you’re playing right now, Spotify needs to let Encore see your current track. Approve it once on Spotify (your link and history stay as they are), then run **/np** again. This link is just for you, works once and expires ${discordTime(expiresAt)}.`,
      }),
    ],
    components: [button],
  };
}

/** Someone else pressed a /np refresh button. */
export const notYourNowPlaying = (ownerId: string) => ({
  content: `Only <@${ownerId}> can refresh this.`,
  allowedMentions: { parse: [] },
});
