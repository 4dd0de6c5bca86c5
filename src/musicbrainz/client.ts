import { normaliseGenre, parentGenreOf } from '../core/genres/index.js';
import { musicBrainzSpacer, type RequestSpacer } from './requestSpacer.js';

/** A MusicBrainz answer that is neither a result nor "not found". */
export class MusicBrainzError extends Error {
  override readonly name = 'MusicBrainzError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`MusicBrainz answered ${status}`);
  }
}

/** Genres found on MusicBrainz, already in canonical form and limited to ones the family tree knows. */
export interface MusicBrainzGenres {
  readonly genres: readonly string[];
  /** The MusicBrainz id of the recording or artist the genres came from. */
  readonly mbid: string;
  readonly source: 'recording' | 'artist';
}

export interface MusicBrainzClient {
  /** False when MUSICBRAINZ_URL is unset: every lookup then answers undefined without a request. */
  readonly isConfigured: boolean;
  /** Genres of the recording with this ISRC, or of its main artist when the recording has none. */
  genresByIsrc(isrc: string): Promise<MusicBrainzGenres | undefined>;
  /** Genres of the best-matching artist by name. */
  genresByArtistName(name: string): Promise<MusicBrainzGenres | undefined>;
  /**
   * Genres of the MusicBrainz artist linked to this Spotify artist (an exact match: MusicBrainz keeps
   * the artist's open.spotify.com URL): one url lookup, then one artist lookup when the url
   * relation carries no genres. Undefined when MusicBrainz has no such link, or no genres for it.
   */
  genresBySpotifyArtist(spotifyArtistId: string): Promise<MusicBrainzGenres | undefined>;
  /** Genres of the MusicBrainz artist with this MBID (one artist lookup with inc=genres+tags). */
  genresByArtistMbid(mbid: string): Promise<MusicBrainzGenres | undefined>;
}

export interface MusicBrainzClientOptions {
  /** MUSICBRAINZ_URL, e.g. https://musicbrainz.org/ws/2; undefined switches the client off. */
  readonly baseUrl: string | undefined;
  /** Encore's version and a contact URL, for the User-Agent MusicBrainz requires. */
  readonly version: string;
  readonly contactUrl: string;
  readonly fetch?: typeof fetch;
  readonly spacer?: RequestSpacer;
  /** Artist search matches scoring below this (0–100) are ignored. Default 90. */
  readonly minArtistScore?: number;
  /** Per request, answer included. Default 5 s (see LOOKUP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** MusicBrainz asks for "Application/version ( contact )". */
export function musicBrainzUserAgent(version: string, contactUrl: string): string {
  return `Encore/${version} ( ${contactUrl} )`;
}

interface Tag {
  readonly name?: unknown;
  readonly count?: unknown;
}
interface Taggable {
  readonly id?: unknown;
  readonly genres?: readonly Tag[];
  readonly tags?: readonly Tag[];
  readonly score?: unknown;
  readonly name?: unknown;
  readonly 'artist-credit'?: ReadonlyArray<{ readonly artist?: Taggable }>;
}

const MAX_GENRES = 10;

/**
 * Curated genres first, then folksonomy tags ("seen live" and "british" fall out because the
 * family tree does not know them), most votes first, canonical and without repeats.
 */
export function genresFromTags(entity: Taggable): string[] {
  const ranked = [...(entity.genres ?? []), ...(entity.tags ?? [])]
    .filter((t): t is { name: string; count?: unknown } => typeof t?.name === 'string')
    .map((t, i) => ({
      name: normaliseGenre(t.name),
      count: typeof t.count === 'number' ? t.count : 0,
      curated: i < (entity.genres?.length ?? 0),
    }))
    .filter((t) => t.name !== '' && parentGenreOf(t.name) !== undefined && t.count >= 0)
    .sort((a, b) => Number(b.curated) - Number(a.curated) || b.count - a.count);
  return [...new Set(ranked.map((t) => t.name))].slice(0, MAX_GENRES);
}

const SPOTIFY_ID = /^[A-Za-z0-9]{1,64}$/;

interface UrlRelation {
  readonly type?: unknown;
  readonly 'target-type'?: unknown;
  readonly artist?: Taggable;
}

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * MusicBrainz is an optional fallback consulted while a member waits for a /sort preview (up to ten
 * lookups a sort, a second apart). It answers in well under a second when it is well; a lookup that
 * takes longer than this is given up (the artist stays unclassified) rather than holding the preview.
 */
export const LOOKUP_TIMEOUT_MS = 5_000;

export function createMusicBrainzClient(options: MusicBrainzClientOptions): MusicBrainzClient {
  const baseUrl = options.baseUrl?.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const spacer = options.spacer ?? musicBrainzSpacer;
  const userAgent = musicBrainzUserAgent(options.version, options.contactUrl);
  const minScore = options.minArtistScore ?? 90;
  const timeoutMs = options.timeoutMs ?? LOOKUP_TIMEOUT_MS;

  async function get(path: string, params: Record<string, string>): Promise<unknown | undefined> {
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries({ ...params, fmt: 'json' })) url.searchParams.set(key, value);
    for (let attempt = 0; ; attempt++) {
      const response = await spacer.schedule(() =>
        doFetch(url, {
          headers: { 'User-Agent': userAgent, Accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      // 503 is how MusicBrainz says "slower": the spacer waits a second before the one retry.
      if (response.status === 503 && attempt === 0) {
        await response.body?.cancel();
        continue;
      }
      const body = await response.text();
      if (!response.ok) throw new MusicBrainzError(response.status, body.slice(0, 500));
      return JSON.parse(body);
    }
  }

  async function artistGenres(mbid: string): Promise<MusicBrainzGenres | undefined> {
    const found = (await get(`/artist/${encodeURIComponent(mbid)}`, { inc: 'genres+tags' })) as Taggable | undefined;
    const genres = found ? genresFromTags(found) : [];
    return genres.length ? { genres, mbid, source: 'artist' } : undefined;
  }

  return {
    isConfigured: baseUrl !== undefined,

    async genresByIsrc(isrc) {
      const code = isrc.trim().toUpperCase().replace(/-/g, '');
      if (baseUrl === undefined || !ISRC.test(code)) return undefined;
      const found = (await get(`/isrc/${code}`, { inc: 'artist-credits+tags+genres' })) as
        { recordings?: readonly Taggable[] } | undefined;
      const recording = found?.recordings?.[0];
      if (!recording || typeof recording.id !== 'string') return undefined;
      const genres = genresFromTags(recording);
      if (genres.length) return { genres, mbid: recording.id, source: 'recording' };
      const mainArtist = recording['artist-credit']?.[0]?.artist?.id;
      return typeof mainArtist === 'string' ? artistGenres(mainArtist) : undefined;
    },

    async genresBySpotifyArtist(spotifyArtistId) {
      if (baseUrl === undefined || !SPOTIFY_ID.test(spotifyArtistId)) return undefined;
      const found = (await get('/url', {
        resource: `https://open.spotify.com/artist/${spotifyArtistId}`,
        inc: 'artist-rels',
      })) as { relations?: readonly UrlRelation[] } | undefined;
      const artist = found?.relations?.find(
        (r) => (r['target-type'] === undefined || r['target-type'] === 'artist') && typeof r.artist?.id === 'string',
      )?.artist;
      return artist ? artistGenres(artist.id as string) : undefined;
    },

    async genresByArtistMbid(mbid) {
      const id = mbid.trim().toLowerCase();
      if (baseUrl === undefined || !MBID.test(id)) return undefined;
      return artistGenres(id);
    },

    async genresByArtistName(name) {
      const trimmed = name.trim();
      if (baseUrl === undefined || trimmed === '') return undefined;
      // Lucene query on the artist field; quotes and backslashes in the name are escaped.
      const query = `artist:"${trimmed.replace(/["\\]/g, '\\$&')}"`;
      const found = (await get('/artist', { query, limit: '5' })) as { artists?: readonly Taggable[] } | undefined;
      const best = found?.artists?.find(
        (a) => typeof a.score === 'number' && a.score >= minScore && typeof a.id === 'string',
      );
      if (!best) return undefined;
      const genres = genresFromTags(best);
      return genres.length ? { genres, mbid: best.id as string, source: 'artist' } : artistGenres(best.id as string);
    },
  };
}
