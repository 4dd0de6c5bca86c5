import type { NamedStreaks, StreakKind, StreakReport } from '../../app/streaks/streaks.js';
import type { Streak, Streaks } from '../../core/streaks/index.js';
import { timeZoneLabel } from '../../core/time/timeZoneLabel.js';
import { brandEmbed } from '../replies.js';
import { safeName } from './digestMessages.js';
import { plural } from './format.js';

const KIND_WORDS: Record<StreakKind, { one: string; title: string }> = {
  artist: { one: 'artist', title: 'Artists' },
  track: { one: 'track', title: 'Tracks' },
  genre: { one: 'genre', title: 'Genres' },
};

/** "7 Dec 2026": a local date as the member reads it (dates are already in their zone). */
export function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const span = (s: Streak) => (s.days === 1 ? dayLabel(s.from) : `${dayLabel(s.from)} – ${dayLabel(s.to)}`);
const days = (n: number) => plural(n, 'day');

/** "🔥 5 days · longest 12 days (1 Nov 2026 – 12 Nov 2026)": one thing's streaks on one line. */
function streakWords(s: Streaks): string {
  const parts = [];
  if (s.current) parts.push(`🔥 **${days(s.current.days)}**`);
  if (s.longest && (!s.current || s.longest.days > s.current.days || s.longest.from !== s.current.from))
    parts.push(`longest ${days(s.longest.days)} (${span(s.longest)})`);
  else if (s.current) parts.push('your longest yet');
  return parts.join(' · ');
}

function line(thing: NamedStreaks, i: number): string {
  const name = thing.artists?.length
    ? `${safeName(thing.name)} — ${safeName(thing.artists.join(', '), 24)}`
    : safeName(thing.name);
  return `${i + 1}. **${name}** · ${streakWords(thing)}`;
}

/**
 * /streak: the member's listening streak (current and longest) and their artists', tracks' and
 * genres' streaks, on their own calendar; `sharedBy` when they chose to post it for everyone.
 */
export function streakMessage(report: StreakReport, sharedBy?: string) {
  const listening = report.listening;
  const description = [];
  if (!listening.longest) description.push('No plays yet: streaks are counted from your listening history.');
  else {
    description.push(
      listening.current
        ? `🔥 **${days(listening.current.days)} in a row** of listening, since ${dayLabel(listening.current.from)}`
        : 'No listening streak right now: play something today to start one.',
    );
    description.push(`Longest: **${days(listening.longest.days)}** (${span(listening.longest)})`);
  }
  const kinds = report.kind ? [report.kind] : (['artist', 'track', 'genre'] as const);
  const listOf = { artist: report.artists, track: report.tracks, genre: report.genres };
  if (report.query && report.kind && !listOf[report.kind].length)
    description.push(`\nYou haven’t played any ${KIND_WORDS[report.kind].one} called “${safeName(report.query)}”.`);
  description.push(
    report.isDefaultZone
      ? '\n-# Days are counted in UTC. Set your time zone with **/settings timezone**.'
      : `\n-# Days are counted in your time zone, ${timeZoneLabel(report.timeZone)}.`,
  );
  const fields = kinds
    .filter((kind) => listOf[kind].length || (!report.query && listening.longest))
    .map((kind) => ({
      name: KIND_WORDS[kind].title,
      value: listOf[kind].map(line).join('\n') || 'Nothing yet.',
    }));
  const single = report.query && report.kind ? listOf[report.kind][0] : undefined;
  return {
    embeds: [
      brandEmbed({
        title: single ? `Your streak: ${safeName(single.name, 60)}` : 'Your streaks',
        description: description.join('\n'),
        fields,
        footer: sharedBy ? `${sharedBy} · Encore` : 'Only you see this · share it with public:true',
      }),
    ],
  };
}
