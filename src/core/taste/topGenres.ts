import { parentGenreOf } from '../genres/index.js';

export interface GenreShare {
  genre: string;
  share: number; // 0–1
}

export interface TopGenres {
  genres: GenreShare[];
  /** Artists that had no genre Encore could place (Spotify's genre lists are often empty now). */
  unclassifiedArtists: number;
  classifiedArtists: number;
}

/**
 * Parent-genre shares from a ranked artist list (Spotify's top artists). Higher-ranked artists
 * weigh more (linearly, the first counts n times the last), and an artist spanning several parent
 * genres splits its weight between them so no artist counts twice.
 */
export function topGenresFromArtists(rankedArtists: ReadonlyArray<{ genres: readonly string[] }>): TopGenres {
  const n = rankedArtists.length;
  const weights = new Map<string, { weight: number; order: number }>();
  let unclassified = 0;
  rankedArtists.forEach((artist, rank) => {
    const parents = new Map<string, number>();
    for (const genre of artist.genres) {
      const parent = parentGenreOf(genre);
      if (parent) parents.set(parent.name, parent.order);
    }
    if (parents.size === 0) {
      unclassified++;
      return;
    }
    const weight = (n - rank) / parents.size;
    for (const [name, order] of parents) {
      const entry = weights.get(name) ?? { weight: 0, order };
      entry.weight += weight;
      weights.set(name, entry);
    }
  });
  const total = [...weights.values()].reduce((sum, e) => sum + e.weight, 0);
  const genres = [...weights.entries()]
    .sort((a, b) => b[1].weight - a[1].weight || a[1].order - b[1].order)
    .map(([genre, e]) => ({ genre, share: e.weight / total }));
  return { genres, unclassifiedArtists: unclassified, classifiedArtists: n - unclassified };
}
