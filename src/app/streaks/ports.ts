import type { Milestone, UtcDayBounds } from '../../core/streaks/index.js';

/** A named thing a member played: an artist, a track ("name" and its artists) or a genre id. */
export interface Played {
  id: string;
  name: string;
  artists?: string[];
}

/** What streaks and milestones read from the rollups (src/store/streaks); days are UTC days. */
export interface StreaksReader {
  /** Each UTC day with plays and when its first and last play ended, oldest first. */
  dayBounds(memberId: string): Promise<UtcDayBounds[]>;
  /**
   * The UTC days each artist was played: the ones asked for by id, or the member's `top` artists by
   * plays and their `top` most played among those last played on or after `since`.
   */
  artistDays(
    memberId: string,
    pick: { ids: readonly string[] } | { top: number; since: string },
  ): Promise<Array<Played & { days: string[] }>>;
  /** The UTC days each genre (not "unclassified") was played; only `genre` when given. */
  genreDays(memberId: string, genre?: string): Promise<Array<Played & { days: string[] }>>;
  /** The member's most played tracks of all time. */
  topTracks(memberId: string, limit: number): Promise<Played[]>;
  /** When each of the member's plays of a track ended (epoch ms). */
  trackPlays(memberId: string, trackId: string): Promise<number[]>;
  /** What the member played whose name matches `typed` (or whose id is `typed`), most played first. */
  search(memberId: string, kind: 'artist' | 'track' | 'genre', typed: string, limit: number): Promise<Played[]>;
  /** Artists played over UTC days [fromDay, toDay]: their all-time plays before it and by its end. */
  artistPlaysAround(
    memberId: string,
    fromDay: string,
    toDay: string,
  ): Promise<Array<{ name: string; before: number; after: number }>>;
  /** Listening time in the calendar year of `toDay` before `fromDay` and by the end of `toDay`. */
  yearMsAround(memberId: string, fromDay: string, toDay: string): Promise<{ before: number; after: number }>;
}

export interface StreaksDeps {
  reader: StreaksReader;
  /** The member's time zone (/settings), if they set one. */
  timeZoneOf(memberId: string): Promise<string | undefined>;
}

/** The streaks service commands and the weekly wrapped DM use (Services.streaks). */
export interface StreaksService extends StreaksDeps {
  /** The milestones the member crossed in the digest week `week` (its Monday after: see digestPeriod). */
  milestones(memberId: string, week: string): Promise<Milestone[]>;
}
