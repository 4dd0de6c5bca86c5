import { localParts } from '../time/timeZones.js';

/**
 * From UTC-day rollups to the member's local days.
 *
 * The rollups count plays per UTC day, but a streak is the member's own calendar: a UTC day
 * touches two local dates (the member's midnight falls inside it unless they live on UTC). The
 * store hands over, for each UTC day with plays, the instants of that day's first and last play
 * (two index probes per day, never a scan of the plays); their local dates are exactly the local
 * dates the day's listening fell on, since a UTC day holds at most one local midnight. So:
 * - the any-listening streak is exact in the member's zone, DST included;
 * - an artist or genre played on a UTC day whose listening crossed the member's midnight counts
 *   for both local dates: the rollups cannot say which side of midnight it was. A streak the
 *   member kept is never broken by this; at worst one day longer at an end, only for night owls.
 * - a track's days come from its plays (one member, one track: src/store/streaks), exact.
 */

/** A UTC day of the rollups and when its first and last play ended (epoch ms). */
export interface UtcDayBounds {
  day: string;
  first: number;
  last: number;
}

/** The local date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDate(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** For each UTC day, the local dates its listening fell on (one or two). */
export function localDatesByUtcDay(bounds: readonly UtcDayBounds[], timeZone: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const b of bounds) {
    const first = localDate(b.first, timeZone);
    const last = localDate(b.last, timeZone);
    map.set(b.day, first === last ? [first] : [first, last]);
  }
  return map;
}

/** Every local date with a play. */
export function listeningDays(byUtcDay: ReadonlyMap<string, readonly string[]>): Set<string> {
  return new Set([...byUtcDay.values()].flat());
}

/**
 * The local dates of rollup rows (UTC days on which something was played), through the map; a
 * UTC day the map does not know (a play stored between the two reads) keeps its own date.
 */
export function localDaysOfUtcDays(
  utcDays: Iterable<string>,
  byUtcDay: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const out = new Set<string>();
  for (const day of utcDays) for (const local of byUtcDay.get(day) ?? [day]) out.add(local);
  return out;
}
