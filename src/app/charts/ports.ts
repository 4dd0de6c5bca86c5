import type { Gap, TimedPlay } from '../../core/history/index.js';

/** What the history charts read from the history store (src/store/history). */
export interface HistoryReader {
  /** When each play of [from, to] ended and how long it lasted (0 when unknown), for the clock. */
  playTimes(memberId: string, from: number, to: number): Promise<TimedPlay[]>;
  /** Most played artists over UTC days [fromDay, toDay], from the rollups. */
  topArtists(
    memberId: string,
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<Array<{ artistId: string; name: string; plays: number; ms: number }>>;
  /** Most played tracks over [from, to], from the plays, with their artists' names in credit order. */
  topTracks(
    memberId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ trackId: string; name: string; artists: string[]; plays: number; ms: number }>>;
  /**
   * Per-genre rollups over UTC days [fromDay, toDay]: per day, per week (`day` is the week's
   * Monday) or for the whole period (`day` is fromDay).
   */
  genreDays(
    memberId: string,
    fromDay: string,
    toDay: string,
    per?: 'day' | 'week' | 'period',
  ): Promise<Array<{ day: string; genre: string; plays: number; ms: number }>>;
  /**
   * Plays and ms over UTC days [fromDay, toDay], and when the member's first and last stored plays
   * ended (whatever the days): how far the history reaches, to judge whether it covers a span.
   */
  summary(
    memberId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ plays: number; ms: number; firstPlayAt?: number; lastPlayAt?: number }>;
  gaps(memberId: string): Promise<Gap[]>;
}

/** A member's own settings (/settings). */
export interface MemberSettingsRepository {
  timeZoneOf(memberId: string): Promise<string | undefined>;
  setTimeZone(memberId: string, timeZone: string): Promise<void>;
  /** Forgets the member's settings; true when there were any. */
  deleteForUser(memberId: string): Promise<boolean>;
}
