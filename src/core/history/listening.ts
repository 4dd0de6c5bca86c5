import { localParts } from '../time/timeZones.js';

export { canonicalTimeZone, isTimeZone, matchTimeZones, timeZoneNames } from '../time/timeZones.js';
import { UNCLASSIFIED_NAME, parentGenreById } from '../genres/index.js';
import { UNCLASSIFIED } from './rollup.js';
import { utcDay } from '../time/utcDay.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The periods a history chart covers, each ending now. */
export type HistoryPeriod = 'week' | 'month' | 'year' | 'all';
export const HISTORY_PERIODS: readonly HistoryPeriod[] = ['week', 'month', 'year', 'all'];
export const PERIOD_LABELS: Record<HistoryPeriod, string> = {
  week: 'Past 7 days',
  month: 'Past 30 days',
  year: 'Past 12 months',
  all: 'All time',
};
const PERIOD_DAYS: Record<Exclude<HistoryPeriod, 'all'>, number> = { week: 7, month: 30, year: 365 };

/**
 * The last `days` whole UTC days up to `now` (today so far and the days before it), so that the
 * per-UTC-day rollups and the plays themselves count the same span.
 */
export function daysEndingAt(now: number, days: number): { from: number; to: number } {
  return { from: Math.floor(now / DAY) * DAY - (days - 1) * DAY, to: now };
}

/** The instants [from, to] a period covers when it ends at `now` (all time starts at 0). */
export function periodRange(period: HistoryPeriod, now: number): { from: number; to: number } {
  return period === 'all' ? { from: 0, to: now } : daysEndingAt(now, PERIOD_DAYS[period]);
}

/** The UTC days (YYYY-MM-DD) that touch [from, to], for the per-UTC-day rollups. */
export function utcDaysOf(range: { from: number; to: number }): { fromDay: string; toDay: string } {
  return { fromDay: utcDay(range.from), toDay: utcDay(range.to) };
}

// ---------------------------------------------------------------- time zones

/** Local time minus UTC, in ms, in `timeZone` at the instant `at`. */
export function timeZoneOffset(timeZone: string, at: number): number {
  const parts = localParts(at, timeZone);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return asUtc - Math.floor(at / MINUTE) * MINUTE;
}

/**
 * A memoised offset function for one zone: the offset is looked up once per UTC day (at both ends)
 * and exactly only on days whose ends differ (a DST change that day), so a year of plays costs a
 * few hundred Intl calls instead of one per play.
 */
export function offsetsIn(timeZone: string): (at: number) => number {
  if (timeZone === 'UTC') return () => 0;
  const days = new Map<number, number | undefined>();
  return (at) => {
    const day = Math.floor(at / DAY);
    if (!days.has(day)) {
      const start = timeZoneOffset(timeZone, day * DAY);
      const end = timeZoneOffset(timeZone, day * DAY + DAY - 1);
      days.set(day, start === end ? start : undefined);
    }
    return days.get(day) ?? timeZoneOffset(timeZone, at);
  };
}

/** Weekday (0 = Monday … 6 = Sunday) and hour (0–23) of an instant in a zone. */
export function localWeekdayHour(
  at: number,
  offsetOf: (at: number) => number,
): { weekday: number; hour: number; local: number } {
  const local = at + offsetOf(at);
  const day = Math.floor(local / DAY);
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return { weekday: (((day + 3) % 7) + 7) % 7, hour: Math.floor((local - day * DAY) / HOUR), local };
}

// ---------------------------------------------------------------- listening clock

/** A stored play as the clock reads it: when it ended, how long it lasted. */
export interface TimedPlay {
  playedAt: number;
  ms: number;
}

export interface ClockBucket {
  weekday: number;
  hour: number;
  minutes: number;
  plays: number;
}

/**
 * Minutes listened per weekday × hour in a zone. A play counts for the hour its middle falls in
 * (plays end at `playedAt` and last `ms`); only non-empty cells come back, weekday-major.
 */
export function listeningClock(plays: Iterable<TimedPlay>, timeZone: string): ClockBucket[] {
  const offsetOf = offsetsIn(timeZone);
  const ms = new Float64Array(7 * 24);
  const counts = new Uint32Array(7 * 24);
  for (const play of plays) {
    const { weekday, hour } = localWeekdayHour(play.playedAt - play.ms / 2, offsetOf);
    const cell = weekday * 24 + hour;
    ms[cell]! += play.ms;
    counts[cell]! += 1;
  }
  const out: ClockBucket[] = [];
  for (let cell = 0; cell < 7 * 24; cell++)
    if (counts[cell])
      out.push({ weekday: Math.floor(cell / 24), hour: cell % 24, minutes: ms[cell]! / MINUTE, plays: counts[cell]! });
  return out;
}

// ---------------------------------------------------------------- genre mix

/** The Monday (YYYY-MM-DD) of the week a UTC day (YYYY-MM-DD) belongs to. */
export function weekOf(day: string): string {
  const at = Date.parse(`${day}T00:00:00Z`);
  const weekday = (((Math.floor(at / DAY) + 3) % 7) + 7) % 7;
  return utcDay(at - weekday * DAY);
}

/** A display name for a rollup's genre key (a parent genre id, or "unclassified"). */
export function genreLabel(key: string): string {
  if (key === UNCLASSIFIED) return UNCLASSIFIED_NAME;
  return parentGenreById(key)?.name ?? key;
}

/**
 * Each week's share of listening time per genre, from per-day genre rollups. Weeks whose total is
 * zero are skipped; shares of a week add up to 1.
 */
export function weeklyGenreMix(
  rows: Iterable<{ day: string; genre: string; ms: number }>,
): Array<{ week: string; genre: string; share: number }> {
  const weeks = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const week = weekOf(row.day);
    let genres = weeks.get(week);
    if (!genres) weeks.set(week, (genres = new Map()));
    genres.set(row.genre, (genres.get(row.genre) ?? 0) + row.ms);
  }
  const out: Array<{ week: string; genre: string; share: number }> = [];
  for (const week of [...weeks.keys()].sort()) {
    const genres = weeks.get(week)!;
    const total = [...genres.values()].reduce((a, b) => a + b, 0);
    if (total <= 0) continue;
    for (const [genre, ms] of [...genres.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
      out.push({ week, genre: genreLabel(genre), share: ms / total });
  }
  return out;
}

// ---------------------------------------------------------------- gaps and wording

/** The recorded gaps that overlap [from, to]. */
export function gapsWithin<G extends { from: number; to: number }>(
  gaps: readonly G[],
  range: { from: number; to: number },
): G[] {
  return gaps.filter((g) => g.to >= range.from && g.from <= range.to);
}
