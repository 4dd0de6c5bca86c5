import { UNCLASSIFIED_NAME } from '../genres/index.js';
import { UNCLASSIFIED, genreLabel } from '../history/index.js';

/**
 * The one rule for listening Encore could not put in a genre yet (right after an import it can be
 * most of it, until the genre lookups catch up), applied by every view:
 * - it is named "Not yet classified", so nobody reads it as a taste;
 * - it counts in shares (percentages stay shares of everything played) but is always listed and
 *   drawn last, whatever its size;
 * - it is never a top genre, a genre highlight or part of a diversity score.
 */
export const NOT_YET_CLASSIFIED = 'Not yet classified';

/** Whether a genre key or display name is the not-yet-classified bucket. */
export function isUnclassified(genre: string): boolean {
  return genre === UNCLASSIFIED || genre === UNCLASSIFIED_NAME || genre === NOT_YET_CLASSIFIED;
}

/** A rollup genre key as members read it. */
export function genreDisplayName(key: string): string {
  return isUnclassified(key) ? NOT_YET_CLASSIFIED : genreLabel(key);
}

/** `rows` in `compare`'s order, with the not-yet-classified bucket moved last. */
export function unclassifiedLast<T>(
  rows: readonly T[],
  genreOf: (row: T) => string,
  compare: (a: T, b: T) => number,
): T[] {
  const sorted = [...rows].sort(compare);
  return [...sorted.filter((r) => !isUnclassified(genreOf(r))), ...sorted.filter((r) => isUnclassified(genreOf(r)))];
}

/** The most listened genre that is not the unclassified bucket, or undefined. */
export function topClassifiedGenre(genres: ReadonlyArray<{ genre: string; ms: number }>): string | undefined {
  return [...genres]
    .filter((g) => !isUnclassified(g.genre) && g.ms > 0)
    .sort((a, b) => b.ms - a.ms || (a.genre < b.genre ? -1 : 1))[0]?.genre;
}
