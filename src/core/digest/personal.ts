import { topClassifiedGenre } from '../taste/unclassified.js';
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

/**
 * How many top artists a wrapped shows, and how many of the most played it picks them from (the
 * reader ranks by plays; an artist outside the 50 most played cannot realistically be in the top 5
 * by time).
 */
export const WRAPPED_TOP_ARTISTS = 5;
export const WRAPPED_ARTIST_POOL = 50;

/**
 * A wrapped ranks artists by listening time, as its headline and its card count: the card's bars
 * are minutes, and a ranking by plays drew #5 longer than #4 (one long mix outweighs ten skipped
 * intros). Ties go to plays, then the name.
 */
export function topArtistsByTime(artists: readonly ArtistWeek[]): ArtistWeek[] {
  return [...artists]
    .sort((a, b) => b.ms - a.ms || b.plays - a.plays || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, WRAPPED_TOP_ARTISTS);
}

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
  const topGenre = topClassifiedGenre(input.genres);
  return {
    kind: 'wrapped',
    week: input.week,
    ms: input.ms,
    plays: input.plays,
    topArtists: topArtistsByTime(input.topArtists),
    topTracks: input.topTracks.slice(0, 3),
    topGenre,
    discoveries: input.discoveries,
    lastWeekMs: input.lastWeekMs,
  };
}
