import { displayFineGenre, normaliseGenre } from './canonical.js';
import { FAMILY_TREE, type ParentGenre } from './familyTree.js';
import { parentGenreOf } from './parentGenre.js';

/** Sort by the curated parent genre (default) or by Spotify's fine genre. */
export type GenreMode = 'parent' | 'fine';

/** A track's genre as the sorter groups it: a stable key and a display name. */
export interface ResolvedGenre {
  /** Parent id ("hip-hop") in parent mode; canonical fine genre ("uk drill") in fine mode. */
  readonly key: string;
  readonly name: string;
  readonly parent: ParentGenre | undefined;
}

/** Weight of the artist at this position in the credits: main artist 1, then 1/2, 1/3 … */
export function artistWeight(position: number): number {
  return 1 / (position + 1);
}

/** Earlier genres in an artist's list weigh a bit more: 1, 0.95, 0.9 … never below 0.5. */
export function genrePositionWeight(position: number): number {
  return Math.max(0.5, 1 - 0.05 * position);
}

// Weights are sums of fractions; anything closer than this is a tie, decided by the tree order.
const TIE_EPSILON = 1e-9;
const UNKNOWN_PARENT_ORDER = FAMILY_TREE.length;

interface Candidate {
  weight: number;
  readonly genre: ResolvedGenre;
}

function resolve(genre: string, mode: GenreMode): ResolvedGenre | undefined {
  const parent = parentGenreOf(genre);
  if (mode === 'parent') return parent ? { key: parent.id, name: parent.name, parent } : undefined;
  const fine = normaliseGenre(genre);
  return fine === '' ? undefined : { key: fine, name: displayFineGenre(fine), parent };
}

function compareCandidates(a: Candidate, b: Candidate): number {
  if (Math.abs(a.weight - b.weight) > TIE_EPSILON) return b.weight - a.weight;
  const order = (a.genre.parent?.order ?? UNKNOWN_PARENT_ORDER) - (b.genre.parent?.order ?? UNKNOWN_PARENT_ORDER);
  if (order !== 0) return order;
  return a.genre.key < b.genre.key ? -1 : a.genre.key > b.genre.key ? 1 : 0;
}

/**
 * The primary genre of a track from its artists' genre lists, main artist first. Each artist
 * contributes its weight in total, shared among its genres (earlier ones a bit more), so a
 * featured artist with ten genres cannot outvote the main artist with one. Ties go to the
 * family-tree order, then the key. Undefined when no artist has a usable genre ("Unclassified").
 */
export function primaryGenre(
  artistGenreLists: ReadonlyArray<readonly string[] | undefined>,
  mode: GenreMode = 'parent',
): ResolvedGenre | undefined {
  const candidates = new Map<string, Candidate>();
  artistGenreLists.forEach((genres, artistPosition) => {
    if (!Array.isArray(genres) || genres.length === 0) return;
    const shares: Array<{ genre: ResolvedGenre; weight: number }> = [];
    let total = 0;
    genres.forEach((genre, genrePosition) => {
      const resolved = resolve(genre, mode);
      if (!resolved) return;
      const weight = genrePositionWeight(genrePosition);
      shares.push({ genre: resolved, weight });
      total += weight;
    });
    const scale = artistWeight(artistPosition) / (total || 1);
    for (const share of shares) {
      const existing = candidates.get(share.genre.key);
      if (existing) existing.weight += share.weight * scale;
      else candidates.set(share.genre.key, { weight: share.weight * scale, genre: share.genre });
    }
  });
  let best: Candidate | undefined;
  for (const candidate of candidates.values()) if (!best || compareCandidates(candidate, best) < 0) best = candidate;
  return best?.genre;
}
