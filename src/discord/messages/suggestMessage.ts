import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  StringSelectMenuBuilder,
  type APIActionRowComponent,
  type APIComponentInActionRow,
} from 'discord.js';
import { dismissedPositions, type SaveOutcome, type SuggestAnswer } from '../../app/suggest/answers.js';
import type { SuggestionReason, SuggestionSource, Suggestion } from '../../app/suggest/ports.js';
import { RADAR_SIZE, type RadarOutcome, type RadarRefreshed } from '../../app/suggest/radar.js';
import type { ServerPlaylistAnnouncement, ServerTrack } from '../../app/suggest/serverPlaylist.js';
import { displayFineGenre, parentGenreById } from '../../core/genres/index.js';
import { componentIdCodec } from '../customId.js';
import { brandEmbed, clip } from '../replies.js';
import { plural } from './format.js';
import { layoutMessage } from './layout.js';

/** A /suggest answer's button or menu id: which answer, and the member it belongs to. */
export const suggestComponentIds = componentIdCodec('suggest', ['like', 'dismiss', 'save'], ['answerId', 'ownerId']);

/** Names are shown, never pinged: a suggestion naming bob must not notify bob. */
const NO_PINGS = { allowedMentions: { parse: [] as [] } };

export const playlistUrl = (playlistId: string) => `https://open.spotify.com/playlist/${playlistId}`;
const trackUrl = (trackId: string) => `https://open.spotify.com/track/${trackId}`;

/** Names inside markdown: "*bob*" stays a name, and a "]" cannot close the track's link. */
const plain = (text: string) => text.replace(/([\\*_~`|>[\]])/g, '\\$1');

const andList = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n.toLocaleString('en')} times`);
const ordinalRank = (rank: number) => `your #${rank} artist`;
const shortDate = (date: string) => {
  const ms = Date.parse(date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date);
  return Number.isNaN(ms)
    ? date
    : new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
};

/** A genre as the rest of Encore names it: a parent genre's name, else the fine genre's display label ("Trap", "UK garage"). */
const genreName = (genre: string) => parentGenreById(genre)?.name ?? displayFineGenre(genre);

/**
 * "20 fresh tracks", or, when fewer than RADAR_SIZE were new to the member, how many of the 20 it
 * aims for: the README promises 20, and a bare "12 fresh tracks" read like a broken promise.
 */
export function radarCount(found: number): string {
  return found >= RADAR_SIZE
    ? plural(found, 'fresh track')
    : `${plural(found, 'fresh track')} (of the ${RADAR_SIZE} it aims for: only these were new to you this week)`;
}

/** Why a track is suggested, in the member's words. `names` has the display names of members it cites. */
export function reasonText(reason: SuggestionReason, names: ReadonlyMap<string, string>): string {
  switch (reason.source) {
    case 'server': {
      // No count when it is withheld (0: it included plays of someone who can no longer be named).
      const often = reason.plays > 0 ? `${times(reason.plays)} ` : '';
      if (!reason.listeners.length) return `listeners with taste like yours here played it ${often}this month`;
      const who = reason.listeners.slice(0, 3).map((l) => plain(names.get(l.memberId) ?? 'a member'));
      // Similarity is the taste scorer's 0–100 compatibility score, already a percentage.
      const closest = Math.round(reason.listeners[0]!.similarity);
      return `${andList(who)} (taste ${closest} % like yours) played it ${often}this month`;
    }
    case 'newRelease':
      return `new from ${plain(reason.artistName)} (out ${shortDate(reason.releaseDate)}), ${ordinalRank(reason.artistRank)}`;
    case 'deepCut':
      return `a deeper cut from ${plain(reason.artistName)}’s *${plain(reason.albumName)}*, ${ordinalRank(reason.artistRank)}`;
    case 'genre': {
      const when = reason.period === 'month' ? 'this month' : 'this week';
      return `top in ${plain(genreName(reason.genre))}, a genre you played ${times(reason.genrePlays)} ${when}`;
    }
  }
}

const SOURCE_WORDS: Record<SuggestionSource, string> = {
  server: 'what listeners like you play here',
  newRelease: 'new releases of your artists',
  deepCut: 'deeper cuts of your artists',
  genre: 'top tracks of your genres',
};

const artistNames = (s: Suggestion) => s.artists.map((a) => plain(a.name)).join(', ');
const optionLabel = (s: Suggestion, i: number) => clip(`${i + 1}. ${s.name} — ${s.artists[0]?.name ?? ''}`, 100);

function answerRows(answer: SuggestAnswer, ownerId: string): APIActionRowComponent<APIComponentInActionRow>[] {
  const hidden = dismissedPositions(answer);
  const open = answer.suggestions.map((s, i) => ({ s, i })).filter(({ i }) => !hidden.has(i));
  const rows: APIActionRowComponent<APIComponentInActionRow>[] = [];
  const likeable = open.filter(({ i }) => !answer.liked.includes(i));
  // Two menus rather than a 👍/👎 pair per row: ten suggestions would need 20 buttons in Discord's 5 × 5.
  if (likeable.length)
    rows.push(
      new ActionRowBuilder<StringSelectMenuBuilder>()
        .addComponents(
          new StringSelectMenuBuilder()
            .setCustomId(suggestComponentIds.encode({ action: 'like', answerId: answer.id, ownerId }))
            .setPlaceholder('👍 More like these…')
            .setMinValues(1)
            .setMaxValues(likeable.length)
            .addOptions(likeable.map(({ s, i }) => ({ label: optionLabel(s, i), value: String(i), emoji: '👍' }))),
        )
        .toJSON(),
    );
  if (open.length)
    rows.push(
      new ActionRowBuilder<StringSelectMenuBuilder>()
        .addComponents(
          new StringSelectMenuBuilder()
            .setCustomId(suggestComponentIds.encode({ action: 'dismiss', answerId: answer.id, ownerId }))
            .setPlaceholder('👎 Never suggest this artist again…')
            .setMinValues(1)
            .setMaxValues(open.length)
            .addOptions(
              open.map(({ s, i }) => ({
                label: clip(`${s.artists[0]?.name ?? '?'} (${i + 1}. ${s.name})`, 100),
                value: String(i),
                emoji: '👎',
              })),
            ),
        )
        .toJSON(),
    );
  const saveRow = new ActionRowBuilder<ButtonBuilder>();
  if (answer.savedAt && answer.playlistId)
    saveRow.addComponents(
      new ButtonBuilder()
        .setStyle(ButtonStyle.Link)
        .setURL(playlistUrl(answer.playlistId))
        .setLabel('Open the playlist'),
    );
  else if (open.length)
    saveRow.addComponents(
      new ButtonBuilder()
        .setCustomId(suggestComponentIds.encode({ action: 'save', answerId: answer.id, ownerId }))
        .setLabel('Save as playlist')
        .setEmoji('💾')
        .setStyle(ButtonStyle.Success),
    );
  if (saveRow.components.length) rows.push(saveRow.toJSON());
  return rows;
}

/**
 * /suggest's answer: each suggestion with why, the 👍 / 👎 menus and "Save as playlist". Request
 * counts are never shown; what a short Spotify budget made it skip is.
 */
export function suggestAnswerMessage(
  answer: SuggestAnswer,
  context: { names: ReadonlyMap<string, string>; skipped: readonly SuggestionSource[]; note?: string },
) {
  const hidden = dismissedPositions(answer);
  const lines = answer.suggestions.map((s, i) => {
    const title = `**${i + 1}. [${plain(s.name)}](${trackUrl(s.trackId)})** — ${artistNames(s)}`;
    if (hidden.has(i)) return `~~${i + 1}. ${plain(s.name)} — ${artistNames(s)}~~ 👎 not suggested again`;
    return `${title}${answer.liked.includes(i) ? ' 👍' : ''}\n↳ ${reasonText(s.reason, context.names)}`;
  });
  const footer: string[] = [];
  if (context.skipped.length)
    footer.push(
      `⚠️ Spotify’s daily budget for this bot is running short, so I skipped ${andList(context.skipped.map((s) => SOURCE_WORDS[s]))} this time.`,
    );
  if (answer.savedAt && answer.playlistId)
    footer.push(`💾 Saved to a private playlist in your Spotify: ${playlistUrl(answer.playlistId)}`);
  if (context.note) footer.push(context.note);
  // Content and embeds are emptied: the answer may replace the progress embed, and Discord only lets
  // an edit take a message to a layout when both are reset.
  return {
    ...NO_PINGS,
    content: '',
    embeds: [],
    ...layoutMessage({
      blocks: [
        { kind: 'text', text: `## ${plural(answer.suggestions.length, 'suggestion')} for you` },
        { kind: 'text', text: lines.join('\n') || '—' },
        footer.length > 0 && { kind: 'text', text: footer.join('\n\n') },
        { kind: 'separator' },
        { kind: 'text', text: '-# Nothing you already played or saved. Want these every week? /suggest radar: On' },
      ],
      rows: answerRows(answer, answer.memberId),
    }),
  };
}

/** Nothing to suggest (a new member with no history, or everything filtered out). */
export function noSuggestionsMessage(skipped: readonly SuggestionSource[]) {
  const budget = skipped.length
    ? ` Spotify’s daily budget for this bot is running short, so I skipped ${andList(skipped.map((s) => SOURCE_WORDS[s]))}. Try again later.`
    : ' Listen a little more (Encore learns from what you play), or try another **from**.';
  return {
    embeds: [
      brandEmbed({ title: 'No suggestions yet', description: `I found nothing new for you.${budget}` }).toJSON(),
    ],
    components: [],
  };
}

export const suggestProgressMessage = () => ({
  embeds: [
    brandEmbed({
      title: 'Finding suggestions…',
      description: 'Looking through your artists’ releases, your genres and what listeners like you play.',
    }).toJSON(),
  ],
  components: [],
});

/** What a click on Save answers when it did not save (another click is saving it). */
export function saveAnswerNote(outcome: SaveOutcome): string | undefined {
  if (outcome.kind === 'busy') return '⏳ I’m saving this list already — one playlist is on its way.';
  return undefined;
}

export const notYourSuggestionsMessage = () => ({
  content: 'These buttons belong to someone else’s suggestions. Run **/suggest** for your own.',
});

// ---------------------------------------------------------------- Encore Radar

export function radarOnMessage(playlistId: string | undefined, outcome: RadarOutcome) {
  const filled =
    outcome.kind === 'refreshed'
      ? `It’s ready with ${radarCount(outcome.suggestions.length)}.`
      : outcome.kind === 'empty'
        ? 'I found nothing new for you yet; it fills up as you listen.'
        : 'It is already filled for this week.';
  return {
    embeds: [
      brandEmbed({
        title: '📡 Encore Radar is on',
        description: [
          `A private playlist in your Spotify, **Encore Radar**, gets fresh suggestions every Monday (UTC), replaced in place — and I DM you when it changes. ${filled}`,
          playlistId ? playlistUrl(playlistId) : '',
          'Turn it off with **/suggest radar: Off**; **/unlink** stops it too.',
        ]
          .filter(Boolean)
          .join('\n\n'),
      }).toJSON(),
    ],
    components: playlistId ? [openRow(playlistId, 'Open Encore Radar')] : [],
  };
}

export function radarOffMessage(wasOn: boolean, playlistId?: string) {
  return {
    embeds: [
      brandEmbed({
        title: wasOn ? 'Encore Radar is off' : 'Encore Radar wasn’t on',
        description: wasOn
          ? `I won’t refresh it any more. ${playlistId ? 'The playlist stays in your Spotify: delete it there if you like.' : ''}`
          : 'Turn it on with **/suggest radar: On**: a private playlist of fresh suggestions every week.',
      }).toJSON(),
    ],
    components: [],
  };
}

/** The DM when the weekly refresh changed the radar. */
export function radarRefreshedMessage(refreshed: RadarRefreshed) {
  const top = refreshed.suggestions
    .slice(0, 5)
    .map((s) => `• **${plain(s.name)}** — ${artistNames(s)}`)
    .join('\n');
  return {
    ...NO_PINGS,
    embeds: [
      brandEmbed({
        title: `📡 Your Encore Radar for the week of ${shortDate(refreshed.week)}`,
        description: `${radarCount(refreshed.suggestions.length)} in your Encore Radar playlist, among them:\n${top}`,
        footer: 'Turn it off with /suggest radar: Off in any server with Encore.',
      }).toJSON(),
    ],
    components: [openRow(refreshed.playlistId, 'Open Encore Radar')],
  };
}

// ---------------------------------------------------------------- Sounds of <server>

function openRow(playlistId: string, label: string) {
  return new ActionRowBuilder<ButtonBuilder>()
    .addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(playlistUrl(playlistId)).setLabel(label))
    .toJSON();
}

const trackLines = (tracks: readonly ServerTrack[]) =>
  tracks
    .slice(0, 5)
    .map(
      (t, i) =>
        `${i + 1}. **${plain(t.name)}** — ${plain(t.artistName)} · ${plural(t.listeners, 'listener')}, ${plural(t.plays, 'play')}`,
    )
    .join('\n');

export function serverPlaylistOnMessage(filled: {
  guildName: string;
  playlistId: string;
  tracks: readonly ServerTrack[];
  members: number;
}) {
  return {
    ...NO_PINGS,
    embeds: [
      brandEmbed({
        title: `🎧 Sounds of ${filled.guildName} is on`,
        description: [
          `A private playlist in your Spotify, filled now with ${plural(filled.tracks.length, 'track')} the ${plural(filled.members, 'member')} who share their listening here played most in the last 30 days.`,
          'On the first of every month I replace its tracks with the month before and announce it in the digest channel (or DM you when there is none).',
          filled.tracks.length ? trackLines(filled.tracks) : '',
          'Turn it off with **/digest playlist on: False**.',
        ]
          .filter(Boolean)
          .join('\n\n'),
      }).toJSON(),
    ],
    components: [openRow(filled.playlistId, `Open Sounds of ${clip(filled.guildName, 60)}`)],
  };
}

export function serverPlaylistOffMessage(wasOn: boolean) {
  return {
    embeds: [
      brandEmbed({
        title: wasOn ? 'The server playlist is off' : 'The server playlist wasn’t on',
        description: wasOn
          ? 'I won’t refresh it any more; the playlist stays in its owner’s Spotify.'
          : 'Turn it on with **/digest playlist on: True**: a monthly playlist of what this server plays, in your Spotify.',
      }).toJSON(),
    ],
    components: [],
  };
}

/** The monthly announcement in the digest channel. */
export function serverPlaylistAnnouncementMessage(a: ServerPlaylistAnnouncement) {
  return {
    ...NO_PINGS,
    embeds: [
      brandEmbed({
        title: `🎧 Sounds of ${a.guildName} — ${a.monthLabel}`,
        description: `The playlist now holds the ${plural(a.tracks.length, 'track')} this server played most in ${a.monthLabel} (members who share their listening here). The top five:\n${trackLines(a.tracks)}`,
      }).toJSON(),
    ],
    components: [openRow(a.playlistId, 'Listen on Spotify')],
  };
}
