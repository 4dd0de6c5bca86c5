/** A member's listening, all time: artists and parent genres with their play counts. */
export interface TasteInput {
  artists: ReadonlyArray<{ id: string; name: string; plays: number }>;
  /** Parent-genre keys; 'unclassified' should be left out by whoever builds the profile. */
  genres: ReadonlyArray<{ genre: string; plays: number }>;
}

export interface SharedArtist {
  id: string;
  name: string;
  aPlays: number;
  bPlays: number;
}

export interface Compatibility {
  /** 0 (nothing in common) to 100 (the same taste), an integer. */
  score: number;
  /** The artists both love (each played them at least LOVED_PLAYS times), the one they love most evenly first. */
  sharedArtists: SharedArtist[];
  /** b's most played artist that a never played (as far as a's profile tells), or undefined. */
  tryForA: { id: string; name: string } | undefined;
  tryForB: { id: string; name: string } | undefined;
}

/**
 * Artists say more about taste than genres (two pop listeners may share no artist), but artist
 * vectors are sparse, so genres keep the score meaningful when few artists overlap.
 */
export const ARTIST_WEIGHT = 0.6;
export const GENRE_WEIGHT = 0.4;

/**
 * "Artists you both love" lists an artist only when each of the two played it at least this often:
 * two plays is a track heard once on someone else's playlist, five means each came back to the
 * artist on their own. Only the list: the score still counts every shared play.
 */
export const LOVED_PLAYS = 5;

type Weights = Map<string, number>;

/**
 * Log-scaled play shares: shares make a heavy and a light listener comparable, and the log keeps
 * one artist played on repeat from deciding the whole score (a per-mille share of 1 weighs about
 * 0.7, one of 500 about 6.2).
 */
function weights(items: ReadonlyArray<{ key: string; plays: number }>): Weights {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.plays), 0);
  const out: Weights = new Map();
  if (total <= 0) return out;
  for (const { key, plays } of items) {
    if (plays <= 0) continue;
    out.set(key, (out.get(key) ?? 0) + Math.log1p((1000 * plays) / total));
  }
  return out;
}

function cosine(a: Weights, b: Weights): number {
  let dot = 0;
  for (const [key, wa] of a) dot += wa * (b.get(key) ?? 0);
  if (dot === 0) return 0;
  const norm = (w: Weights) => Math.sqrt([...w.values()].reduce((sum, x) => sum + x * x, 0));
  return Math.min(1, dot / (norm(a) * norm(b)));
}

function firstUnplayed(
  favourites: TasteInput['artists'],
  played: ReadonlyMap<string, unknown>,
): { id: string; name: string } | undefined {
  const pick = [...favourites]
    .filter((artist) => artist.plays > 0 && !played.has(artist.id))
    .sort((x, y) => y.plays - x.plays || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))[0];
  return pick && { id: pick.id, name: pick.name };
}

/**
 * How alike two members' tastes are: cosine similarity of log-scaled play shares, artists weighing
 * 0.6 and genres 0.4. The artist similarity is square-rooted before weighing: two members who
 * clearly share a taste still spread their plays over hundreds of artists, so their artist cosine
 * sits around 0.1–0.3; the root spreads that range over the scale while 0 and 1 stay put.
 * Symmetric: compatibility(b, a) has the same score with a and b swapped everywhere else.
 */
export function compatibility(a: TasteInput, b: TasteInput): Compatibility {
  const artistsA = weights(a.artists.map((x) => ({ key: x.id, plays: x.plays })));
  const artistsB = weights(b.artists.map((x) => ({ key: x.id, plays: x.plays })));
  const genresA = weights(a.genres.map((x) => ({ key: x.genre, plays: x.plays })));
  const genresB = weights(b.genres.map((x) => ({ key: x.genre, plays: x.plays })));

  const artistSimilarity = Math.sqrt(cosine(artistsA, artistsB));
  const genreSimilarity = cosine(genresA, genresB);
  // Without genres on either side, the artists alone decide (and the other way round).
  const hasGenres = genresA.size > 0 && genresB.size > 0;
  const hasArtists = artistsA.size > 0 && artistsB.size > 0;
  const similarity =
    hasArtists && hasGenres
      ? ARTIST_WEIGHT * artistSimilarity + GENRE_WEIGHT * genreSimilarity
      : hasArtists
        ? artistSimilarity
        : hasGenres
          ? genreSimilarity
          : 0;
  const score = Math.max(0, Math.min(100, Math.round(100 * similarity)));

  const playsA = new Map<string, { name: string; plays: number }>();
  for (const x of a.artists)
    if (x.plays > 0) playsA.set(x.id, { name: x.name, plays: (playsA.get(x.id)?.plays ?? 0) + x.plays });
  const playsB = new Map<string, { name: string; plays: number }>();
  for (const x of b.artists)
    if (x.plays > 0) playsB.set(x.id, { name: x.name, plays: (playsB.get(x.id)?.plays ?? 0) + x.plays });
  const totalA = [...playsA.values()].reduce((sum, x) => sum + x.plays, 0);
  const totalB = [...playsB.values()].reduce((sum, x) => sum + x.plays, 0);

  // "Both love": ranked by the smaller of the two shares, so an artist one of them barely played
  // does not top the list because the other plays it all day.
  const shared = [...playsA]
    .filter(([id, x]) => x.plays >= LOVED_PLAYS && (playsB.get(id)?.plays ?? 0) >= LOVED_PLAYS)
    .map(([id, x]) => {
      const bPlays = playsB.get(id)!.plays;
      const shareA = x.plays / totalA;
      const shareB = bPlays / totalB;
      return { id, name: x.name, aPlays: x.plays, bPlays, least: Math.min(shareA, shareB), sum: shareA + shareB };
    })
    .sort((x, y) => y.least - x.least || y.sum - x.sum || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map(({ id, name, aPlays, bPlays }) => ({ id, name, aPlays, bPlays }));

  return {
    score,
    sharedArtists: shared,
    tryForA: firstUnplayed(b.artists, playsA),
    tryForB: firstUnplayed(a.artists, playsB),
  };
}
