import { compatibility, type TasteInput } from '../taste/compat.js';
import type { CandidateSource } from './rank.js';

export const SOURCES: readonly CandidateSource[] = ['server', 'newRelease', 'deepCut', 'genre'];

/**
 * 👍 per source → weights: every like counts, with diminishing returns (1 like ×1.25, 3 ×1.5,
 * 15 ×2), so a few likes tilt an answer towards a source without silencing the others.
 */
export function sourceWeightsFromLikes(
  likes: Partial<Record<CandidateSource, number>>,
): Record<CandidateSource, number> {
  return Object.fromEntries(
    SOURCES.map((s) => [s, Math.min(2.5, 1 + 0.25 * Math.log2(1 + Math.max(0, likes[s] ?? 0)))]),
  ) as Record<CandidateSource, number>;
}

/** Play counts → 0–1, the most played 1. */
export function affinities(items: ReadonlyArray<{ key: string; plays: number }>): Map<string, number> {
  const top = Math.max(0, ...items.map((i) => i.plays));
  return new Map(top > 0 ? items.filter((i) => i.plays > 0).map((i) => [i.key, i.plays / top]) : []);
}

/**
 * The member's fine genres (Spotify's names) from their artists' plays: an artist spreads its plays
 * over its genres, so a genre counts as often as the member played its artists. Most played first.
 */
export function fineGenrePlays(
  artists: ReadonlyArray<{ id: string; plays: number }>,
  artistGenres: ReadonlyMap<string, readonly string[]>,
): Array<{ genre: string; plays: number }> {
  const plays = new Map<string, number>();
  for (const a of artists) {
    const genres = artistGenres.get(a.id) ?? [];
    for (const g of genres) plays.set(g, (plays.get(g) ?? 0) + a.plays / genres.length);
  }
  return [...plays.entries()]
    .map(([genre, n]) => ({ genre, plays: Math.round(n) }))
    .sort((a, b) => b.plays - a.plays || (a.genre < b.genre ? -1 : 1));
}

/** Below this compatibility (0–100) a member's plays say little about the asker's taste. */
export const MIN_SIMILARITY = 25;

/** The peers whose taste is like the asker's, most similar first, at most `limit`. */
export function similarMembers(
  asker: TasteInput,
  peers: ReadonlyArray<{ memberId: string; taste: TasteInput }>,
  limit = 8,
  minSimilarity = MIN_SIMILARITY,
): Array<{ memberId: string; similarity: number }> {
  return peers
    .map((p) => ({ memberId: p.memberId, similarity: compatibility(asker, p.taste).score }))
    .filter((p) => p.similarity >= minSimilarity)
    .sort((a, b) => b.similarity - a.similarity || (a.memberId < b.memberId ? -1 : 1))
    .slice(0, limit);
}

/**
 * How strongly the server radar vouches for a track: how much similar members play it (log, 30
 * plays ≈ 1) and how similar they are.
 */
export function radarSignal(listeners: ReadonlyArray<{ similarity: number; plays: number }>): number {
  const plays = listeners.reduce((sum, l) => sum + l.plays, 0);
  const weighted = listeners.reduce((sum, l) => sum + (l.similarity / 100) * l.plays, 0);
  if (plays <= 0) return 0;
  return Math.min(1, Math.log1p(plays) / Math.log1p(30)) * (weighted / plays);
}

/** How new a release is, 1 today down to 0.3 at four months and after. */
export function recency(releaseDate: string, today: string): number {
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(normaliseDate(releaseDate))) / 86_400_000;
  if (!Number.isFinite(days)) return 0.3;
  return Math.max(0.3, 1 - Math.max(0, days) / 120);
}

/** Spotify's release_date is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
export function normaliseDate(releaseDate: string): string {
  if (/^\d{4}$/.test(releaseDate)) return `${releaseDate}-01-01T00:00:00Z`;
  if (/^\d{4}-\d{2}$/.test(releaseDate)) return `${releaseDate}-01T00:00:00Z`;
  return `${releaseDate.slice(0, 10)}T00:00:00Z`;
}
