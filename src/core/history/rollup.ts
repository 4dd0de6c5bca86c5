import { primaryGenre } from '../genres/index.js';
import { utcDay } from '../time/utcDay.js';

export { utcDay };

/** The genre a play counts for when none of its artists has a known genre: counted, never dropped. */
export const UNCLASSIFIED = 'unclassified';

/**
 * A track's parent genre for rollups: the primary genre of its artists' genre lists (main artist
 * weighing most), or "unclassified" when no artist has a genre the family tree knows.
 */
export function rollupGenre(artistGenres: ReadonlyArray<readonly string[] | undefined>): string {
  return primaryGenre(artistGenres, 'parent')?.key ?? UNCLASSIFIED;
}

/** A newly stored play, as the rollups count it. */
export interface RollupPlay {
  playedAt: number;
  /** Milliseconds listened (estimated or not); 0 when unknown. */
  ms: number;
  artistIds: readonly string[];
  genre: string;
}

export interface RollupDelta {
  daily: Array<{ day: string; plays: number; ms: number }>;
  artists: Array<{ day: string; artistId: string; plays: number; ms: number }>;
  genres: Array<{ day: string; genre: string; plays: number; ms: number }>;
}

/**
 * What newly stored plays add to one member's daily rollups. Each play counts once per day and
 * once for its genre; every distinct credited artist gets the play and its ms. Rows come sorted by
 * key, so concurrent writers upsert rollup rows in the same order and cannot deadlock.
 */
export function rollupDelta(plays: readonly RollupPlay[]): RollupDelta {
  const daily = new Map<string, { day: string; plays: number; ms: number }>();
  const artists = new Map<string, { day: string; artistId: string; plays: number; ms: number }>();
  const genres = new Map<string, { day: string; genre: string; plays: number; ms: number }>();
  const add = <R extends { plays: number; ms: number }>(
    map: Map<string, R>,
    key: string,
    make: () => R,
    ms: number,
  ) => {
    let row = map.get(key);
    if (!row) map.set(key, (row = make()));
    row.plays += 1;
    row.ms += ms;
  };
  for (const play of plays) {
    const day = utcDay(play.playedAt);
    add(daily, day, () => ({ day, plays: 0, ms: 0 }), play.ms);
    add(genres, `${day}\u0000${play.genre}`, () => ({ day, genre: play.genre, plays: 0, ms: 0 }), play.ms);
    for (const artistId of new Set(play.artistIds))
      add(artists, `${day}\u0000${artistId}`, () => ({ day, artistId, plays: 0, ms: 0 }), play.ms);
  }
  const sorted = <R>(map: Map<string, R>) =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  return { daily: sorted(daily), artists: sorted(artists), genres: sorted(genres) };
}
