import type { ArtistWeek, GenreWeek, TrackWeek } from './digest.js';

/** A member's own week, for the personal weekly wrapped DM. */
export interface MemberWrapped {
  kind: 'wrapped';
  week: string;
  ms: number;
  plays: number;
  topArtists: ArtistWeek[];
  topTracks: TrackWeek[];
  topGenre?: string;
  /** Artists the member played for the first time. */
  discoveries: number;
  /** Listening time the week before, to say what changed. */
  lastWeekMs: number;
  /** For /wrapped: which period it covers ("week" when absent, the DM). */
  period?: WrappedPeriod;
  /** The period's first and last UTC day. */
  fromDay?: string;
  toDay?: string;
}

export type WrappedPeriod = 'week' | 'month' | 'year' | 'all';
export const WRAPPED_PERIOD_DAYS: Record<Exclude<WrappedPeriod, 'all'>, number> = { week: 7, month: 30, year: 365 };
/** Where "all time" starts: before Spotify existed. */
export const ALL_TIME_FROM = '2006-01-01';

/** The weekly DM's content; undefined when the member played nothing (no DM about an empty week). */
export function buildMemberWrapped(input: {
  week: string;
  ms: number;
  plays: number;
  lastWeekMs: number;
  topArtists: readonly ArtistWeek[];
  topTracks: readonly TrackWeek[];
  genres: readonly GenreWeek[];
  discoveries: number;
}): MemberWrapped | undefined {
  if (input.plays === 0) return undefined;
  const topGenre = [...input.genres]
    .filter((g) => g.genre !== 'unclassified' && g.ms > 0)
    .sort((a, b) => b.ms - a.ms || (a.genre < b.genre ? -1 : 1))[0]?.genre;
  return {
    kind: 'wrapped',
    week: input.week,
    ms: input.ms,
    plays: input.plays,
    topArtists: input.topArtists.slice(0, 5),
    topTracks: input.topTracks.slice(0, 3),
    topGenre,
    discoveries: input.discoveries,
    lastWeekMs: input.lastWeekMs,
  };
}
