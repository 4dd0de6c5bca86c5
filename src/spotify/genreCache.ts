import type Keyv from 'keyv';
import type { GatewayMetrics } from './metrics.js';
import type { Artist, KeyvNamespaces } from './types.js';

const TTL_MS = 45 * 24 * 3_600_000;
/**
 * Lookups one call keeps queued at the pacer at a time. The pacer serves a member's requests in
 * the order they queued: a 1,000-track sort that queued all its misses at once put every later
 * request of the same member (their /chart) behind hundreds of its own. As many as the pacer lets
 * fly at once (6 by default) keep a lone sort as fast as before, and let the chart in after them.
 */
export const LOOKUPS_QUEUED_PER_CALL = 6;

/**
 * The keyv namespace the gateway keeps the shared artist-genre cache in. Opened only here
 * (`openArtistGenreCache`): everything else reads the cache through the gateway.
 */
export const ARTIST_GENRES_NAMESPACE = 'artist-genres';

/** The shared artist-genre cache over the store's namespace: the one door to it. */
export function openArtistGenreCache(store: KeyvNamespaces, metrics: GatewayMetrics): ArtistGenreCache {
  return new ArtistGenreCache(store.namespace<string[]>(ARTIST_GENRES_NAMESPACE), metrics);
}

/**
 * What the cache already knows about these artists, at no request cost: background work that
 * must not spend the quota on genres (the history collector) reads this; misses are absent.
 */
export async function cachedArtistGenres(
  store: Keyv<string[]>,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const unique = [...new Set(ids)];
  const values = unique.length ? await store.getMany(unique) : [];
  return new Map(unique.flatMap((id, i) => (values[i] ? [[id, values[i]] as [string, string[]]] : [])));
}

/**
 * Artist → genres, shared by every member and server. Filled for free from every full artist
 * object the gateway sees; misses cost one GET /artists/{id} each (batch lookups are gone), and
 * concurrent callers asking for the same artist share one request. An empty list is an answer too.
 */
export class ArtistGenreCache {
  private readonly inFlight = new Map<string, Promise<string[]>>();

  constructor(
    private readonly store: Keyv<string[]>,
    private readonly metrics: GatewayMetrics,
  ) {}

  async remember(artists: ReadonlyArray<Pick<Artist, 'id' | 'genres'>>): Promise<void> {
    // One row per artist: Postgres refuses an upsert that names the same key twice, and a page may
    // list an artist twice (a track's artists, a search); the last answer wins.
    const byId = new Map(artists.filter((a) => a.id && Array.isArray(a.genres)).map((a) => [a.id, a.genres]));
    const entries = [...byId].map(([key, value]) => ({ key, value, ttl: TTL_MS }));
    if (entries.length) await this.store.setMany(entries);
  }

  /** What the cache already knows about these artists, without asking Spotify; misses are absent. */
  cached(ids: readonly string[]): Promise<Map<string, string[]>> {
    return cachedArtistGenres(this.store, ids);
  }

  /** The ids the cache already knows, without asking Spotify. */
  async known(ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const values = unique.length ? await this.store.getMany(unique) : [];
    return new Set(unique.filter((_, i) => values[i] !== undefined));
  }

  async genresFor(
    ids: readonly string[],
    lookup: (id: string) => Promise<Artist>,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Map<string, string[]>> {
    const unique = [...new Set(ids)];
    const cached = unique.length ? await this.store.getMany(unique) : [];
    const result = new Map<string, string[]>();
    const misses: string[] = [];
    unique.forEach((id, i) => {
      const genres = cached[i];
      if (genres) result.set(id, genres);
      else misses.push(id);
    });
    this.metrics.genreCacheHits += result.size;
    let done = result.size;
    onProgress?.(done, unique.length);
    const lookupOne = async (id: string) => {
      let pending = this.inFlight.get(id);
      if (!pending) {
        this.metrics.genreLookups++;
        pending = lookup(id).then(async (artist) => {
          await this.remember([artist]);
          return artist.genres;
        });
        this.inFlight.set(id, pending);
        void pending.catch(() => {}).finally(() => this.inFlight.delete(id));
      }
      result.set(id, await pending);
      onProgress?.(++done, unique.length);
    };
    let next = 0;
    let failed = false;
    const worker = async () => {
      try {
        while (next < misses.length && !failed) await lookupOne(misses[next++]!);
      } catch (error) {
        // The first failure (quota, relink, a stop) ends the call: no further lookups start.
        failed = true;
        throw error;
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUPS_QUEUED_PER_CALL, misses.length) }, worker));
    return result;
  }
}
