import { digestPeriod } from '../../core/digest/index.js';
import {
  addDays,
  listeningDays,
  localDate,
  localDatesByUtcDay,
  localDaysOfUtcDays,
  milestonesCrossed,
  streaksOf,
  type Milestone,
  type Streaks,
} from '../../core/streaks/index.js';
import { genreDisplayName } from '../../core/taste/index.js';
import type { Played, StreaksDeps } from './ports.js';

export type StreakKind = 'artist' | 'track' | 'genre';
export const STREAK_KINDS: readonly StreakKind[] = ['artist', 'track', 'genre'];

/** One artist's, track's or genre's streaks. */
export interface NamedStreaks extends Streaks {
  id: string;
  name: string;
  artists?: string[];
}

/** What /streak shows; the message builder words it. */
export interface StreakReport {
  timeZone: string;
  /** True when the member never set a zone and UTC stands in. */
  isDefaultZone: boolean;
  today: string;
  /** Days with any play. */
  listening: Streaks;
  /** The kind asked for, if any; with `query`, the one thing asked for. */
  kind?: StreakKind;
  query?: string;
  artists: NamedStreaks[];
  tracks: NamedStreaks[];
  genres: NamedStreaks[];
}

/** Artists whose streaks are computed: the member's most played, and as many among the recent ones. */
const ARTIST_CANDIDATES = 25;
/** Tracks are read from the plays, one track at a time: only the member's few most played. */
const TRACK_CANDIDATES = 3;
/** Lines per kind in the overview, and when one kind is asked for. */
const SHOWN = 5;
const SHOWN_ONE_KIND = 10;

/** Current streaks first (longest first), then the longest ever; names break ties. */
function byStreak(a: NamedStreaks, b: NamedStreaks): number {
  return (
    (b.current?.days ?? 0) - (a.current?.days ?? 0) ||
    (b.longest?.days ?? 0) - (a.longest?.days ?? 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * The member's streaks on their own calendar at `now`: any listening, and per artist, track and
 * genre (the top few of each, the top ten of one `kind`, or the one named by `query`: an id
 * from autocomplete or a name as typed). Days come from the rollups (see core/streaks/localDays.ts).
 */
export async function streakReport(
  deps: StreaksDeps,
  memberId: string,
  now: number,
  ask: { kind?: StreakKind; query?: string } = {},
): Promise<StreakReport> {
  const stored = await deps.timeZoneOf(memberId);
  const timeZone = stored ?? 'UTC';
  const today = localDate(now, timeZone);
  const bounds = await deps.reader.dayBounds(memberId);
  const byUtcDay = localDatesByUtcDay(bounds, timeZone);
  const named = (thing: Played, days: Iterable<string>): NamedStreaks => ({
    id: thing.id,
    name: thing.name,
    ...(thing.artists ? { artists: thing.artists } : {}),
    ...streaksOf(days, today),
  });
  const fromRollups = (rows: Array<Played & { days: string[] }>) =>
    rows.map((row) => named(row, localDaysOfUtcDays(row.days, byUtcDay)));
  const query = ask.query?.trim() || undefined;
  const wants = (kind: StreakKind) => !ask.kind || ask.kind === kind;
  const limit = ask.kind ? SHOWN_ONE_KIND : SHOWN;
  const matched = async (kind: StreakKind) => (query ? deps.reader.search(memberId, kind, query, 1) : undefined);

  const artists = async () => {
    if (!wants('artist')) return [];
    const asked = await matched('artist');
    // A streak alive today had a play yesterday (local), which is at worst the UTC day before it.
    const pick = asked ? { ids: asked.map((a) => a.id) } : { top: ARTIST_CANDIDATES, since: addDays(today, -2) };
    if (asked && !asked.length) return [];
    return fromRollups(await deps.reader.artistDays(memberId, pick));
  };
  const genres = async () => {
    if (!wants('genre')) return [];
    const asked = await matched('genre');
    if (asked && !asked.length) return [];
    const rows = await deps.reader.genreDays(memberId, asked?.[0]?.id);
    return fromRollups(rows.map((row) => ({ ...row, name: genreDisplayName(row.id) })));
  };
  const tracks = async () => {
    if (!wants('track')) return [];
    const picked = (await matched('track')) ?? (await deps.reader.topTracks(memberId, TRACK_CANDIDATES));
    return Promise.all(
      picked.map(async (track) =>
        named(
          track,
          (await deps.reader.trackPlays(memberId, track.id)).map((at) => localDate(at, timeZone)),
        ),
      ),
    );
  };
  const [a, t, g] = await Promise.all([artists(), tracks(), genres()]);
  const top = (list: NamedStreaks[]) => list.sort(byStreak).slice(0, limit);
  return {
    timeZone,
    isDefaultZone: stored === undefined,
    today,
    listening: streaksOf(listeningDays(byUtcDay), today),
    ...(ask.kind ? { kind: ask.kind } : {}),
    ...(query ? { query } : {}),
    artists: top(a),
    tracks: top(t),
    genres: top(g),
  };
}

/** /streak's autocomplete: what the member played of `kind` whose name matches, at most 25. */
export async function streakChoices(
  deps: StreaksDeps,
  memberId: string,
  kind: StreakKind,
  typed: string,
): Promise<Array<{ name: string; value: string }>> {
  const found = await deps.reader.search(memberId, kind, typed.trim(), 25);
  return found.map((thing) => ({
    name: (kind === 'genre'
      ? genreDisplayName(thing.id)
      : thing.artists?.length
        ? `${thing.name} — ${thing.artists.join(', ')}`
        : thing.name
    ).slice(0, 100),
    value: thing.id.slice(0, 100),
  }));
}

/**
 * The milestones crossed in the digest week `week` (UTC days, as the weekly wrapped counts): an
 * artist's 100th … 10,000th play, the year's minutes, a listening streak's 30th … 1,000th day.
 */
export async function weeklyMilestones(deps: StreaksDeps, memberId: string, week: string): Promise<Milestone[]> {
  const { fromDay, toDay } = digestPeriod(week);
  const timeZone = (await deps.timeZoneOf(memberId)) ?? 'UTC';
  const [artists, yearMs, bounds] = await Promise.all([
    deps.reader.artistPlaysAround(memberId, fromDay, toDay),
    deps.reader.yearMsAround(memberId, fromDay, toDay),
    deps.reader.dayBounds(memberId),
  ]);
  return milestonesCrossed({
    fromDay,
    toDay,
    artists,
    yearMs,
    listeningDays: listeningDays(localDatesByUtcDay(bounds, timeZone)),
  });
}
