import { BudgetExhaustedError, UserError } from '../../core/errors.js';
import { GENRE_LOOKUP_CAPS } from './resolveArtistGenres.js';

/** Where background work finds artist genres: MusicBrainz first, Spotify only inside its warming share. */
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
  /** Keeps what MusicBrainz found in the shared cache, for every member and feature. */
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
  fromMusicBrainz: number;
  fromSpotify: number;
  /** Artists MusicBrainz did not know (remembered as misses). */
  musicbrainzMisses: number;
  /** Spotify requests spent. */
  spotifyRequests: number;
  /** Artists left for a later run (caps, warming share spent). */
  left: number;
  /** Why the Spotify phase stopped early (a UserError id, e.g. spotify.budgetExhausted). */
  stoppedBy?: string;
}

/**
 * The genre resolver for work nobody waits for (the history's artists, a thrifty /sort): for each
 * artist the cache does not know, MusicBrainz by its exact Spotify link, then by name; an artist
 * MusicBrainz does not know is remembered as a miss. Then, only if allowed, Spotify's
 * GET /artists/{id} for artists still without any answer, inside the budget's 'warming' share.
 * Artists whose cached answer is an empty list (Spotify knows no genre) are asked of MusicBrainz
 * but never of Spotify again.
 */
export async function resolveGenresInBackground(
  artists: ReadonlyArray<{ id: string; name?: string }>,
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
  const result: BackgroundResolution = {
    found: new Map(),
    fromMusicBrainz: 0,
    fromSpotify: 0,
    musicbrainzMisses: 0,
    spotifyRequests: 0,
    left: 0,
  };
  const wanted = unique.filter((a) => (cached.get(a.id)?.length ?? 0) === 0);
  const askMusicBrainz = sources.musicbrainzBySpotifyId || sources.musicbrainzByName;
  const forMusicBrainz = askMusicBrainz ? wanted.filter((a) => !missed.has(a.id)) : [];
  const mbCap = options.maxMusicBrainzArtists ?? GENRE_LOOKUP_CAPS.musicbrainzArtistsPerBackgroundRun;
  let done = 0;
  const total = Math.min(forMusicBrainz.length, mbCap);
  options.onProgress?.(0, total);
  const newMisses: string[] = [];
  let asked = 0;
  for (const artist of forMusicBrainz.slice(0, mbCap)) {
    if (options.shouldStop?.()) break;
    asked++;
    let genres = isSpotifyId(artist.id)
      ? await sources.musicbrainzBySpotifyId?.(artist.id).catch(() => undefined)
      : undefined;
    if (!genres?.length && artist.name) genres = await sources.musicbrainzByName?.(artist.name).catch(() => undefined);
    if (genres?.length) {
      result.found.set(artist.id, [...genres]);
      await sources.remember([{ id: artist.id, genres: [...genres] }]);
      result.fromMusicBrainz++;
    } else newMisses.push(artist.id);
    options.onProgress?.(++done, total);
  }
  if (newMisses.length) await sources.rememberMusicBrainzMisses(newMisses);
  result.musicbrainzMisses = newMisses.length;
  result.left += forMusicBrainz.length - asked;

  // Spotify only for artists it has never answered for, that MusicBrainz did not know either.
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
  artists(afterId: string, limit: number): Promise<Array<{ id: string; name: string }>>;
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
  const total: BackgroundResolution = {
    found: new Map(),
    fromMusicBrainz: 0,
    fromSpotify: 0,
    musicbrainzMisses: 0,
    spotifyRequests: 0,
    left: 0,
  };
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
    total.fromMusicBrainz += run.fromMusicBrainz;
    total.fromSpotify += run.fromSpotify;
    total.musicbrainzMisses += run.musicbrainzMisses;
    total.spotifyRequests += run.spotifyRequests;
    total.left += run.left;
    mbLeft -= run.fromMusicBrainz + run.musicbrainzMisses;
    spotifyLeft -= run.spotifyRequests;
    if (options.shouldStop?.()) break;
    if (run.stoppedBy) {
      total.stoppedBy = run.stoppedBy;
      spotifyLeft = 0;
    }
  }
  return total;
}
