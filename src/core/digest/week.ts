import { canonicalTimeZone, isTimeZone, localParts, matchTimeZones } from '../time/timeZones.js';
import { utcDay } from '../time/utcDay.js';

export { canonicalTimeZone, isTimeZone as isValidTimeZone, localParts };

/** Up to 25 IANA names matching what the admin typed, for autocomplete. */
export const timeZoneChoices = (query: string, limit = 25): string[] => matchTimeZones(query, limit);
/**
 * A server's weekly post time as calendar arithmetic in its IANA time zone (Intl's database): a
 * week is named by the local date of its post, so a daylight-saving change moves the instant (167
 * or 169 hours after the previous post) but never skips or doubles a week. Pure: `now` is given.
 */

export const DAY_MS = 86_400_000;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};

export interface DigestSchedule {
  weekday: Weekday;
  /** 0–23, local time. */
  hour: number;
  timeZone: string;
}

/** One week's post: `week` is the local date of the post (YYYY-MM-DD), `postAt` the UTC instant. */
export interface DigestOccurrence {
  week: string;
  postAt: number;
}

/** How far the zone's clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const dateKey = utcDay;
const parseDate = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return dateKey(parseDate(date) + days * DAY_MS);
}

/**
 * The UTC instant at which the local clock in `timeZone` shows `hour`:00 on `date`. An hour the
 * spring-forward gap skips resolves to the first moment after the gap (02:30 → 03:00 local).
 */
export function zonedHourToUtc(date: string, hour: number, timeZone: string): number {
  const wall = parseDate(date) + hour * 3_600_000;
  // The offsets a day either side cover both sides of any change that day.
  const candidates = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => wall - offsetAt(t, timeZone)))];
  const exact = candidates.filter((t) => {
    const p = localParts(t, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall;
  });
  // An hour that happens twice is its first occurrence; one the gap skips, the first moment after it.
  return exact.length ? Math.min(...exact) : Math.max(...candidates);
}

/** ISO weekday of a local date. */
export function weekdayOf(date: string): Weekday {
  const d = new Date(parseDate(date)).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

/** The most recent post time at or before `now` (the week that is due, or was). */
export function latestOccurrence(schedule: DigestSchedule, now: number): DigestOccurrence {
  const p = localParts(now, schedule.timeZone);
  const today = dateKey(Date.UTC(p.year, p.month - 1, p.day));
  let week = addDays(today, -((weekdayOf(today) - schedule.weekday + 7) % 7));
  let postAt = zonedHourToUtc(week, schedule.hour, schedule.timeZone);
  if (postAt > now) {
    week = addDays(week, -7);
    postAt = zonedHourToUtc(week, schedule.hour, schedule.timeZone);
  }
  return { week, postAt };
}

/** The occurrence a week before or after `occurrence`. */
export function shiftOccurrence(schedule: DigestSchedule, occurrence: DigestOccurrence, weeks: number) {
  const week = addDays(occurrence.week, 7 * weeks);
  return { week, postAt: zonedHourToUtc(week, schedule.hour, schedule.timeZone) };
}

/** The next post time strictly after `now`. */
export function nextOccurrence(schedule: DigestSchedule, now: number): DigestOccurrence {
  return shiftOccurrence(schedule, latestOccurrence(schedule, now), 1);
}

/**
 * The days a week's digest covers: the seven days before the post's local date, counted in UTC
 * days as the history's rollups are. `from`/`to` are the same span as instants [from, to).
 */
export function digestPeriod(week: string): { fromDay: string; toDay: string; from: number; to: number } {
  const fromDay = addDays(week, -7);
  const toDay = addDays(week, -1);
  return { fromDay, toDay, from: parseDate(fromDay), to: parseDate(week) };
}

/** How late a post may still be sent, and when it counts as late (the note in the digest). */
export const CATCH_UP_MS = 24 * 3_600_000;
export const LATE_AFTER_MS = 30 * 60_000;

export type DueDecision =
  | { kind: 'post'; occurrence: DigestOccurrence; late: boolean }
  | { kind: 'skip'; occurrence: DigestOccurrence }
  | { kind: 'none' };

/**
 * What a tick at `now` should do for a schedule, given whether the latest week was already
 * handled: post it (late when the bot was down at post time), or skip it when more than a day late.
 * A week that falls before the server turned the digest on is never due.
 */
export function dueDecision(
  schedule: DigestSchedule,
  now: number,
  handled: (week: string) => boolean,
  enabledAt: number,
): DueDecision {
  const occurrence = latestOccurrence(schedule, now);
  if (occurrence.postAt < enabledAt || handled(occurrence.week)) return { kind: 'none' };
  const delay = now - occurrence.postAt;
  if (delay > CATCH_UP_MS) return { kind: 'skip', occurrence };
  return { kind: 'post', occurrence, late: delay > LATE_AFTER_MS };
}

/** A nonce for Discord's enforce_nonce (at most 25 characters), the same for every retry of a week. */
export function digestNonce(guildId: string, week: string): string {
  // Snowflakes are ≤ 20 digits; the week's date without dashes is 8: hash both into 25 chars.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of `${guildId}:${week}`) {
    const c = ch.charCodeAt(0);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 + c, 2246822519) >>> 0;
  }
  return `dg${week.replaceAll('-', '')}${h1.toString(36)}${h2.toString(36)}`.slice(0, 25);
}
