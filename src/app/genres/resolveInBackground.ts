import { BudgetExhaustedError, UserError } from '../../core/errors.js';
import { GENRE_LOOKUP_CAPS } from './resolveArtistGenres.js';

/** An artist of the history, with the MusicBrainz ids the listening sources gave for it, if any. */
export interface HistoryArtist {
  readonly id: string;
  readonly name?: string;
  readonly mbid?: string | null;
  /** One of the artist's recordings' MBID: ListenBrainz's metadata finds the artist through it. */
  readonly recordingMbid?: string | null;
}

/**
 * Where background work finds artist genres: the sources that spend no Spotify quota first
 * (ListenBrainz's metadata, MusicBrainz, Last.fm's tags), Spotify only inside its warming share.
 */
export interface BackgroundGenreSources {
  /** What the shared artist-genre cache knows (an empty list is an answer too), at no request cost. */
  cached(ids: readonly string[]): Promise<Map<string, string[]>>;
  /** Artists MusicBrainz recently did not know: not asked again while remembered. */
  musicbrainzMisses(ids: readonly string[]): Promise<Set<string>>;
  rememberMusicBrainzMisses(ids: readonly string[]): Promise<void>;
  /** MusicBrainz by the exact Spotify artist link (url lookup with artist-rels); absent when not configured. */
  musicbrainzBySpotifyId?(spotifyArtistId: string): Promise<readonly string[] | undefined>;
  /** MusicBrainz by artist name, the fallback. */
  musicbrainzByName?(artistName: string): Promise<readonly string[] | undefined>;
  /** MusicBrainz by the artist's own MBID (one artist lookup). */
  musicbrainzByMbid?(mbid: string): Promise<readonly string[] | undefined>;
  /**
   * ListenBrainz's metadata for up to GENRE_LOOKUP_CAPS.listenBrainzArtistsPerRequest artists at once
   * (by artist MBID, else through a recording): genres, and the artist MBID where it learnt one.
   * Artists it knows nothing about are absent.
   */
  listenBrainz?(
    artists: ReadonlyArray<{ id: string; name?: string; mbid?: string; recordingMbid?: string }>,
  ): Promise<Map<string, { genres: string[]; mbid?: string }>>;
  /** Last.fm's top tags through the family tree's allow-list. */
  lastfm?(artist: { name?: string; mbid?: string }): Promise<readonly string[] | undefined>;
  /** Keeps what the free sources found in the shared cache, under the artist's id, for every member and feature. */
  remember(found: ReadonlyArray<{ id: string; genres: string[] }>): Promise<void>;
  /**
   * One Spotify GET /artists/{id} at 'warming' priority (cached for everyone by the gateway); throws
   * BudgetExhaustedError once the warming share of today's budget is spent. Absent: no Spotify at all.
   */
  spotifyWarming?(id: string): Promise<string[]>;
}

/** History artists an import knows only by name have synthetic "name:…" ids: no Spotify link to look up. */
const isSpotifyId = (id: string) => !id.startsWith('name:');

export interface BackgroundResolution {
  /** Genres learnt, by artist. */
  found: Map<string, string[]>;
  fromListenBrainz: number;
  fromMusicBrainz: number;
  fromLastfm: number;
  /** Artists looked up one at a time (MusicBrainz, Last.fm): what the per-run cap counts. */
  lookedUp: number;
  fromSpotify: number;
  /** Artists no free source knew (remembered as misses, not asked again for a while). */
  musicbrainzMisses: number;
  /** Spotify requests spent. */
  spotifyRequests: number;
  /** Artists left for a later run (caps, warming share spent). */
  left: number;
  /** Why the Spotify phase stopped early (a UserError id, e.g. spotify.budgetExhausted). */
  stoppedBy?: string;
}

/** A run that has found nothing yet: what each run starts from and adds to. */
const noResolution = (): BackgroundResolution => ({
  found: new Map(),
  fromListenBrainz: 0,
  fromMusicBrainz: 0,
  fromLastfm: 0,
  lookedUp: 0,
  fromSpotify: 0,
  musicbrainzMisses: 0,
  spotifyRequests: 0,
  left: 0,
});

/**
 * The genre resolver for work nobody waits for (the history's artists, a thrifty /sort), cheapest
 * first, none of it spending Spotify quota: ListenBrainz's metadata for every artist with an MBID or
 * a recording MBID (1,000 in a request); then, one artist at a time, MusicBrainz by MBID, by exact
 * Spotify link, Last.fm's top tags, MusicBrainz by name. An artist none of them knows is remembered
 * as a miss. Then, only if allowed, Spotify's GET /artists/{id} for Spotify artists still without
 * any answer, inside the budget's 'warming' share. Artists whose cached answer is an empty list
 * (Spotify knows no genre) are asked of the free sources but never of Spotify again. Artists known
 * only by name (`name:` ids) never reach Spotify at all.
 */
export async function resolveGenresInBackground(
  artists: ReadonlyArray<HistoryArtist>,
  sources: BackgroundGenreSources,
  options: {
    maxMusicBrainzArtists?: number;
    maxSpotify?: number;
    onProgress?: (done: number, total: number) => void;
    /** Checked before each lookup: true stops the run where it is (shutdown); the rest waits for the next. */
    shouldStop?: () => boolean;
  } = {},
): Promise<BackgroundResolution> {
  const unique = [...new Map(artists.map((a) => [a.id, a])).values()];
  const ids = unique.map((a) => a.id);
  const cached = await sources.cached(ids);
  const missed = await sources.musicbrainzMisses(ids);
  const result = noResolution();
  const wanted = unique.filter((a) => (cached.get(a.id)?.length ?? 0) === 0);
  const free = wanted.filter((a) => !missed.has(a.id));
  const keep = async (id: string, genres: readonly string[]) => {
    result.found.set(id, [...genres]);
    await sources.remember([{ id, genres: [...genres] }]);
  };

  // ListenBrainz first: a thousand artists cost one request, where MusicBrainz takes a second each.
  const learntMbid = new Map<string, string>();
  const askedListenBrainz = new Set<string>();
  if (sources.listenBrainz) {
    const withIds = free.filter((a) => a.mbid || a.recordingMbid);
    for (let i = 0; i < withIds.length; i += GENRE_LOOKUP_CAPS.listenBrainzArtistsPerRequest) {
      if (options.shouldStop?.()) break;
      const batch = withIds.slice(i, i + GENRE_LOOKUP_CAPS.listenBrainzArtistsPerRequest);
      const answer = await sources
        .listenBrainz(
          batch.map((a) => ({
            id: a.id,
            ...(a.name ? { name: a.name } : {}),
            ...(a.mbid ? { mbid: a.mbid } : {}),
            ...(a.recordingMbid ? { recordingMbid: a.recordingMbid } : {}),
          })),
        )
        .catch(() => undefined);
      // Rate limited or down: the one-by-one sources below still run; ListenBrainz waits for the next run.
      if (!answer) break;
      for (const a of batch) askedListenBrainz.add(a.id);
      for (const [id, { genres, mbid }] of answer) {
        if (mbid) learntMbid.set(id, mbid);
        if (genres.length) {
          await keep(id, genres);
          result.fromListenBrainz++;
        }
      }
    }
  }

  const oneByOne =
    sources.musicbrainzByMbid || sources.musicbrainzBySpotifyId || sources.musicbrainzByName || sources.lastfm;
  const forOneByOne = oneByOne ? free.filter((a) => !result.found.has(a.id)) : [];
  const cap = options.maxMusicBrainzArtists ?? GENRE_LOOKUP_CAPS.musicbrainzArtistsPerBackgroundRun;
  let done = 0;
  const total = Math.min(forOneByOne.length, cap);
  options.onProgress?.(0, total);
  // With no one-by-one source, what ListenBrainz did not know is a miss already.
  const newMisses: string[] = oneByOne
    ? []
    : free.filter((a) => askedListenBrainz.has(a.id) && !result.found.has(a.id)).map((a) => a.id);
  for (const artist of forOneByOne.slice(0, cap)) {
    if (options.shouldStop?.()) break;
    result.lookedUp++;
    // A source that failed (down, rate limited) has not said "unknown": such an artist is not a miss.
    let failed = false;
    const ask = <T>(lookup: Promise<T> | undefined) =>
      lookup?.catch(() => {
        failed = true;
        return undefined;
      });
    const mbid = artist.mbid ?? learntMbid.get(artist.id);
    let genres = mbid ? await ask(sources.musicbrainzByMbid?.(mbid)) : undefined;
    if (!genres?.length && isSpotifyId(artist.id)) genres = await ask(sources.musicbrainzBySpotifyId?.(artist.id));
    let from: 'musicbrainz' | 'lastfm' = 'musicbrainz';
    if (!genres?.length && (artist.name || mbid)) {
      genres = await ask(
        sources.lastfm?.({ ...(artist.name ? { name: artist.name } : {}), ...(mbid ? { mbid } : {}) }),
      );
      from = 'lastfm';
    }
    if (!genres?.length && artist.name) {
      genres = await ask(sources.musicbrainzByName?.(artist.name));
      from = 'musicbrainz';
    }
    if (genres?.length) {
      await keep(artist.id, genres);
      if (from === 'lastfm') result.fromLastfm++;
      else result.fromMusicBrainz++;
    } else if (failed) result.left++;
    else newMisses.push(artist.id);
    options.onProgress?.(++done, total);
  }
  if (newMisses.length) await sources.rememberMusicBrainzMisses(newMisses);
  result.musicbrainzMisses = newMisses.length;
  result.left += forOneByOne.length - result.lookedUp;

  // Spotify only for artists it has never answered for, that the free sources did not know either.
  const forSpotify = wanted.filter((a) => isSpotifyId(a.id) && !cached.has(a.id) && !result.found.has(a.id));
  if (!sources.spotifyWarming) return result;
  const spotifyCap = options.maxSpotify ?? GENRE_LOOKUP_CAPS.spotifyPerBackgroundRun;
  let attempted = 0;
  for (const artist of forSpotify.slice(0, spotifyCap)) {
    if (options.shouldStop?.()) break;
    try {
      attempted++;
      result.spotifyRequests++;
      const genres = await sources.spotifyWarming(artist.id);
      if (genres.length) {
        result.found.set(artist.id, genres);
        result.fromSpotify++;
      }
    } catch (error) {
      // The warming share is spent, the quota breaker is open, Spotify is down or the link died:
      // whatever is left waits for a later run. Any other error costs only this artist.
      if (error instanceof BudgetExhaustedError) result.spotifyRequests--;
      if (error instanceof UserError) {
        attempted--;
        result.stoppedBy = error.id;
        break;
      }
    }
  }
  result.left += forSpotify.length - attempted;
  return result;
}

/** The history's catalogue of artists, in pages (keyset by id). */
export interface ArtistCatalogue {
  /** Each with its MBID and one recording MBID where the catalogue has them (ListenBrainz and Last.fm give them). */
  artists(afterId: string, limit: number): Promise<Array<HistoryArtist & { name: string }>>;
}

/**
 * One run of the background genre resolver over the history's artists: pages through the
 * catalogue and resolves those without genres until this run's caps are spent. The history's
 * daily recount then reclassifies their plays.
 */
export async function resolveHistoryGenres(
  catalogue: ArtistCatalogue,
  sources: BackgroundGenreSources,
  options: { maxMusicBrainzArtists?: number; maxSpotify?: number; pageSize?: number; shouldStop?: () => boolean } = {},
): Promise<BackgroundResolution> {
  let mbLeft = options.maxMusicBrainzArtists ?? GENRE_LOOKUP_CAPS.musicbrainzArtistsPerBackgroundRun;
  let spotifyLeft = options.maxSpotify ?? GENRE_LOOKUP_CAPS.spotifyPerBackgroundRun;
  const total = noResolution();
  let after = '';
  for (;;) {
    const page = await catalogue.artists(after, options.pageSize ?? 1_000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const run = await resolveGenresInBackground(page, sources, {
      maxMusicBrainzArtists: mbLeft,
      maxSpotify: spotifyLeft,
      shouldStop: options.shouldStop,
    });
    for (const [id, genres] of run.found) total.found.set(id, genres);
    total.fromListenBrainz += run.fromListenBrainz;
    total.fromMusicBrainz += run.fromMusicBrainz;
    total.fromLastfm += run.fromLastfm;
    total.lookedUp += run.lookedUp;
    total.fromSpotify += run.fromSpotify;
    total.musicbrainzMisses += run.musicbrainzMisses;
    total.spotifyRequests += run.spotifyRequests;
    total.left += run.left;
    mbLeft -= run.lookedUp;
    spotifyLeft -= run.spotifyRequests;
    if (options.shouldStop?.()) break;
    if (run.stoppedBy) {
      total.stoppedBy = run.stoppedBy;
      spotifyLeft = 0;
    }
  }
  return total;
}
