import { FAMILY_TREE, primaryGenre, type GenreMode } from '../genres/index.js';
import type { ArtistGenreLookup, PlaylistItemInput } from './types.js';

/** How order mode arranges a playlist. */
export type OrderBy = 'genre-artist' | 'release-date' | 'added-date';

export interface TargetOrderOptions {
  readonly by: OrderBy;
  /** Needed for 'genre-artist'. */
  readonly artistGenres?: ArtistGenreLookup;
  readonly mode?: GenreMode;
  /** Newest first for the date orders. Default false (oldest first). */
  readonly descending?: boolean;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const UNKNOWN_ORDER = FAMILY_TREE.length;

// Release dates come as "1999", "1999-05" or "1999-05-03"; the short forms sort first within their year.
function releaseKey(item: PlaylistItemInput): string | undefined {
  const date = item.releaseDate?.trim();
  return date && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date) ? date : undefined;
}

function addedKey(item: PlaylistItemInput): number | undefined {
  const ms = item.addedAt ? Date.parse(item.addedAt) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Missing values go last in either direction; equal values keep playlist order. */
function compareOptional<T>(
  a: T | undefined,
  b: T | undefined,
  compare: (a: T, b: T) => number,
  descending: boolean,
): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const result = compare(a, b);
  return descending ? -result : result;
}

/**
 * The target order as a permutation: result[k] is the current index of the item that should
 * end up at position k. Stable: items that compare equal keep their playlist order. In genre
 * order, genres follow the family tree (then name), unclassified items, local files and episodes last.
 */
export function targetOrder(items: readonly PlaylistItemInput[], options: TargetOrderOptions): number[] {
  const indices = items.map((_, i) => i);
  const descending = options.descending ?? false;
  if (options.by === 'release-date') {
    const keys = items.map(releaseKey);
    return indices.sort(
      (a, b) => compareOptional(keys[a], keys[b], (x, y) => (x < y ? -1 : x > y ? 1 : 0), descending) || a - b,
    );
  }
  if (options.by === 'added-date') {
    const keys = items.map(addedKey);
    return indices.sort((a, b) => compareOptional(keys[a], keys[b], (x, y) => x - y, descending) || a - b);
  }
  const lookup = options.artistGenres ?? new Map<string, readonly string[]>();
  const sortKeys = items.map((item) => {
    const sortable = item.type === 'track' && !item.isLocal && item.uri !== '';
    const genre = sortable
      ? primaryGenre(
          item.artistIds.map((id) => lookup.get(id)),
          options.mode ?? 'parent',
        )
      : undefined;
    // Rank 0: classified tracks; 1: unclassified tracks; 2: local files, episodes, unavailable.
    return {
      rank: genre ? 0 : sortable ? 1 : 2,
      treeOrder: genre?.parent?.order ?? UNKNOWN_ORDER,
      genre: genre?.name ?? '',
      artist: item.artistName ?? '',
    };
  });
  return indices.sort((a, b) => {
    const x = sortKeys[a]!,
      y = sortKeys[b]!;
    return (
      x.rank - y.rank ||
      x.treeOrder - y.treeOrder ||
      collator.compare(x.genre, y.genre) ||
      collator.compare(x.artist, y.artist) ||
      a - b
    );
  });
}
