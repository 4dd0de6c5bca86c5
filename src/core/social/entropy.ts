import { UNCLASSIFIED } from '../history/index.js';

/** Shannon entropy in bits of a distribution given by non-negative weights (0 for none). */
export function shannonEntropy(weights: Iterable<number>): number {
  const positive = [...weights].filter((w) => w > 0);
  const total = positive.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return 0;
  return Math.abs(positive.reduce((sum, w) => sum + (w / total) * Math.log2(w / total), 0));
}

/**
 * Genre diversity as leaderboards show it: the entropy of listening time over parent genres,
 * 'unclassified' left out (it says what Encore does not know, not what the member likes), rounded
 * to hundredths so that two equally diverse members tie instead of differing in the last float bit.
 */
export function genreDiversity(msByGenre: Iterable<readonly [string, number]>): number {
  const bits = shannonEntropy([...msByGenre].filter(([genre]) => genre !== UNCLASSIFIED).map(([, ms]) => ms));
  return Math.round(bits * 100) / 100;
}
