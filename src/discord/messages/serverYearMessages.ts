import type { ServerYearCard } from '../../app/serverYear/ports.js';
import type { DigestSettings } from '../../app/digest/ports.js';
import type { Award, AwardKind, ServerYear } from '../../core/serverYear/index.js';
import { genreDisplayName } from '../../core/taste/index.js';
import { listeningTime } from '../../core/time/listeningTime.js';
import { brandEmbed, pngAttachment } from '../replies.js';
import { plural } from './format.js';
import { layoutMessage } from './layout.js';
import { fitAltText, safeName } from './digestMessages.js';

export const AWARD_TITLES: Record<AwardKind, string> = {
  nightOwl: '🦉 Night Owl',
  earlyBird: '🐦 Early Bird',
  explorer: '🧭 Explorer',
  loyalist: '💛 Loyalist',
  genreHopper: '🐇 Genre Hopper',
  trendsetter: '✨ Trendsetter',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const monthName = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const dayName = (at: number) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);

/** The one line that says why the award was won (the same for every tied winner but the details). */
export function awardLine(award: Award): string {
  const w = award.winners[0]!;
  const tied = award.winners.length > 1 ? ' (tied)' : '';
  switch (award.kind) {
    case 'nightOwl':
      return `Most listening between midnight and 5 am, their time: ${listeningTime(w.value)}${tied}.`;
    case 'earlyBird':
      return `Most listening between 5 and 9 am, their time: ${listeningTime(w.value)}${tied}.`;
    case 'explorer':
      return `Most artists heard for the first time this year: ${w.value.toLocaleString('en')}${tied}.`;
    case 'loyalist':
      return `Most plays of one artist: ${plural(w.value, 'play')} of ${award.winners.map((x) => x.about).join(' / ')}${tied}.`;
    case 'genreHopper':
      return `Most evenly spread across genres: ${w.about} genres, ${w.value.toFixed(2)} bits of variety${tied}.`;
    case 'trendsetter':
      return `First here to ${plural(w.value, 'of the server’s top artists', 'of the server’s top artists')}: ${w.about}, since ${dayName(w.since!)}${tied}.`;
  }
}

/** The winners' names, joined ("Ana & Bo"); a member Discord no longer knows is "a member". */
export function winnerNames(award: Award, names: ReadonlyMap<string, string>, safe = true): string {
  return award.winners
    .map((w) => (safe ? safeName(names.get(w.memberId) ?? 'a member') : (names.get(w.memberId) ?? 'a member')))
    .join(' & ');
}

export const serverYearTitle = (year: ServerYear, guildName: string) => `${guildName}’s ${year.year}`;

/** The award cards as the chart builder draws them (plain names: the image is not markdown). */
export function awardCards(year: ServerYear, names: ReadonlyMap<string, string>) {
  return year.awards.map((a) => ({
    award: AWARD_TITLES[a.kind].replace(/^\S+\s/, ''),
    winner: winnerNames(a, names, false),
    line: awardLine(a),
  }));
}

/** The server's year as a layout: totals, tops, the busiest month, the awards (and their cards as one image). */
export function serverYearMessage(
  year: ServerYear,
  context: { names: ReadonlyMap<string, string>; guildName: string; card?: ServerYearCard; accent?: number },
  notes: { posted?: boolean },
) {
  const accent = context.accent;
  const title = `${serverYearTitle(year, safeName(context.guildName, 60))} in music`;
  if (year.listeners === 0)
    return layoutMessage({
      accent,
      blocks: [
        {
          kind: 'text',
          text: `## ${title}\nNo listening shared here in ${year.year} yet. Members choose to share theirs with **/privacy**.`,
        },
      ],
    });
  const artists = year.topArtists
    .map((a, i) => `${i + 1}. ${safeName(a.name)} · ${plural(a.plays, 'play')}`)
    .join('\n');
  const tracks = year.topTracks
    .map((t, i) => `${i + 1}. ${safeName(t.name)} — ${safeName(t.artists.join(', '), 40)} · ${plural(t.plays, 'play')}`)
    .join('\n');
  const genres = year.topGenres
    .map((g) => `${safeName(genreDisplayName(g.genre), 24)} ${Math.round(g.share * 100)}%`)
    .join(' · ');
  const awards = year.awards
    .map((a) => `**${AWARD_TITLES[a.kind]}** · ${winnerNames(a, context.names)}\n${awardLine(a)}`)
    .join('\n');
  const cardName = 'server-year-awards.png';
  const altText = context.card ? fitAltText(context.card.altText) : '';
  return {
    ...layoutMessage({
      accent,
      blocks: [
        {
          kind: 'text',
          text: [
            `## ${title}`,
            notes.posted &&
              `Encore’s look back at the year, 1 January to ${year.toDay.slice(8, 10).replace(/^0/, '')} ${MONTHS[Number(year.toDay.slice(5, 7)) - 1]}.`,
            `**${listeningTime(year.totalMs)}** listened by ${plural(year.listeners, 'member')} · ${plural(year.totalPlays, 'play')}`,
            year.topMonth &&
              `Busiest month: **${monthName(year.topMonth.month)}** (${listeningTime(year.topMonth.ms)})`,
            genres && `Top genres: ${genres}`,
          ]
            .filter(Boolean)
            .join('\n'),
        },
        { kind: 'separator' },
        { kind: 'text', text: `### Top artists\n${artists || '—'}` },
        { kind: 'text', text: `### Top tracks\n${tracks || '—'}` },
        { kind: 'separator' },
        { kind: 'text', text: `### Awards\n${awards || 'No awards yet: too little listening.'}` },
        // The award cards, with their alt text: one image of six cards.
        { kind: 'gallery', items: context.card ? [{ name: cardName, altText }] : [] },
        { kind: 'separator' },
        { kind: 'text', text: '-# Only members who share their listening here appear · /privacy' },
      ],
    }),
    files: context.card ? [pngAttachment(context.card.png, cardName, altText)] : [],
  };
}

/** /digest year: the December post turned on or off. */
export function serverYearSettingMessage(settings: DigestSettings) {
  return {
    embeds: [
      brandEmbed({
        title: 'The server’s year',
        description: settings.serverYear
          ? `**On.** In December, from ${String(settings.hour).padStart(2, '0')}:00 (${settings.timeZone}), Encore posts the server’s year once in <#${settings.channelId}>: minutes, top artists, tracks, genres and awards among members who share their listening here.`
          : '**Off.** No year post this December. Anyone can still see it with **/wrapped scope:server period:year**.',
      }),
    ],
  };
}
