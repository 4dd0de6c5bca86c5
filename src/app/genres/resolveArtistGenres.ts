/** Where artist genres come from, cheapest first. */
export interface GenreSources {
  /** The shared cache, then Spotify for the misses (one GET /artists/{id} each, cached for everyone). */
  cacheThenSpotify(
    ids: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Map<string, string[]>>;
  /** MusicBrainz by artist name, when it is configured (one request a second, process-wide). */
  musicbrainz?(artistName: string): Promise<readonly string[] | undefined>;
  /** Keeps what MusicBrainz found in the shared cache, for every member and feature. */
  remember(found: ReadonlyArray<{ id: string; genres: string[] }>): Promise<void>;
}

/**
 * Every cap on genre lookups, in one place. MusicBrainz answers one request a second (process-wide);
 * Spotify's development-mode quota is roughly 1,100 to a few thousand requests a day for everyone.
 */
export const GENRE_LOOKUP_CAPS = {
  /** MusicBrainz name lookups per request of a member (a sort preview, a chart): never holds an interaction long. */
  musicbrainzPerRequest: 10,
  /** Artists the background resolver asks MusicBrainz about per run (each 1–3 requests: ≤ about 15 minutes). */
  musicbrainzArtistsPerBackgroundRun: 300,
  /** Artists in one ListenBrainz metadata request (its cap is 1,000 recordings a POST). */
  listenBrainzArtistsPerRequest: 1_000,
  /** Spotify GET /artists/{id} per background run, and only inside the budget's 'warming' share. */
  spotifyPerBackgroundRun: 100,
  /**
   * A /sort with at least this many artists the cache does not know (as many Spotify requests, a
   * sizeable share of a development-mode app's day) offers "now" or "thrifty".
   */
  thriftySortMinUnknownArtists: 200,
  /** MusicBrainz requests an artist usually costs (url lookup + artist lookup, or url miss + name search). */
  musicbrainzRequestsPerArtist: 2,
  /** How long an artist MusicBrainz did not know is not asked about again. */
  musicbrainzMissTtlMs: 30 * 24 * 3_600_000,
} as const;

/** About how many minutes MusicBrainz (one request a second) takes for this many artists. */
export const thriftyMinutes = (artists: number): number =>
  Math.max(1, Math.ceil((artists * GENRE_LOOKUP_CAPS.musicbrainzRequestsPerArtist) / 60));

/** Kept for callers of the interactive cap. */
export const MUSICBRAINZ_LOOKUPS_PER_REQUEST = GENRE_LOOKUP_CAPS.musicbrainzPerRequest;

/**
 * The one genre resolver chain: shared cache → Spotify → MusicBrainz by artist name → nothing
 * (the caller counts such artists as unclassified). Every feature that needs artist genres asks
 * here, so they all get the same answers and the same caps.
 */
export async function resolveArtistGenres(
  artists: ReadonlyArray<{ id: string; name?: string }>,
  sources: GenreSources,
  options: { onProgress?: (done: number, total: number) => void; maxMusicBrainz?: number } = {},
): Promise<Map<string, string[]>> {
  const genres = await sources.cacheThenSpotify(
    artists.map((a) => a.id),
    options.onProgress,
  );
  if (!sources.musicbrainz) return genres;
  const unknown = artists
    .filter((a) => (genres.get(a.id)?.length ?? 0) === 0 && a.name)
    .slice(0, options.maxMusicBrainz ?? MUSICBRAINZ_LOOKUPS_PER_REQUEST);
  const found: Array<{ id: string; genres: string[] }> = [];
  for (const artist of unknown) {
    const answer = await sources.musicbrainz(artist.name!).catch(() => undefined);
    if (answer?.length) found.push({ id: artist.id, genres: [...answer] });
  }
  for (const f of found) genres.set(f.id, f.genres);
  if (found.length) await sources.remember(found);
  return genres;
}
