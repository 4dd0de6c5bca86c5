import { normaliseGenre } from './canonical.js';
import { parentGenreOf } from './parentGenre.js';

/** A free-text tag with its votes, as ListenBrainz, MusicBrainz and Last.fm give them. */
export interface WeightedTag {
  readonly name: string;
  /** Votes (MusicBrainz, ListenBrainz) or Last.fm's 0–100 weight relative to the artist's top tag. */
  readonly count?: number;
  /** Curated by MusicBrainz as a genre (ListenBrainz marks these with a genre_mbid): ranked first. */
  readonly curated?: boolean;
}

export interface TagGenreOptions {
  /** Tags weighing less than this share of the heaviest tag are noise ("punk" at 2 on a rock band's 100). Default 0.1. */
  readonly minShareOfTop?: number;
  /** At most this many genres, heaviest first. Default 5. */
  readonly max?: number;
}

/**
 * Words that the family tree's word rules would read as a style, but that describe a band or a song
 * rather than its music ("supergroup" is not rock). Only tag sources need this: Spotify never says it.
 */
const DESCRIPTIVE_TAGS = new Set(['supergroup', 'one hit wonder', 'one-hit wonder', 'cover band', 'tribute band']);

/** The allow-listed genre a tag stands for: its canonical form if the family tree knows it, else undefined. */
export function genreOfTag(tag: string): string | undefined {
  const canonical = normaliseGenre(tag);
  if (canonical === '' || DESCRIPTIVE_TAGS.has(canonical)) return undefined;
  if (parentGenreOf(canonical)) return canonical;
  // Tag sources hyphenate freely ("trip-hop", "post-rock" both occur); the spaced form may be known.
  const spaced = canonical.replace(/-/g, ' ');
  return spaced !== canonical && parentGenreOf(spaced) ? spaced : undefined;
}

/**
 * Free-text tags → fine genres Encore's family tree knows, the allow-list every tag source goes
 * through: "seen live", "favorites", "female vocalists", decades and nationalities never count, nor
 * do artist names or moods. Curated genres first, then by weight; tags far lighter than the top one
 * are dropped; no repeats.
 */
export function genresFromWeightedTags(tags: readonly WeightedTag[], options: TagGenreOptions = {}): string[] {
  const minShare = options.minShareOfTop ?? 0.1;
  const max = options.max ?? 5;
  const weighed = tags
    .filter((t) => typeof t?.name === 'string')
    .map((t) => ({
      genre: genreOfTag(t.name),
      count: typeof t.count === 'number' && Number.isFinite(t.count) ? t.count : 0,
      curated: t.curated === true,
    }));
  // The share is of the heaviest tag of any kind: "seen live" at 100 still says how much 5 votes are.
  const top = Math.max(0, ...weighed.map((t) => t.count));
  const ranked = weighed
    .filter((t): t is { genre: string; count: number; curated: boolean } => t.genre !== undefined)
    .filter((t) => t.curated || top === 0 || t.count >= top * minShare)
    .sort((a, b) => Number(b.curated) - Number(a.curated) || b.count - a.count);
  return [...new Set(ranked.map((t) => t.genre))].slice(0, max);
}
