/**
 * Listening sources beyond Spotify (issue 23): ListenBrainz and Last.fm have no five-member cap, so
 * every member of a server can take part. Each source's adapter (src/listenbrainz, src/lastfm)
 * implements this port; the collector and the backfill only see this shape.
 */

/** What a source tells about one artist credit; any id may be missing. */
export interface SourceArtist {
  name: string;
  /** MusicBrainz artist id, when the source knows it. */
  mbid?: string;
}

/** One listen as a source reports it, before it is matched to Encore's catalogue. */
export interface SourceListen {
  /** When the listen happened, Unix ms, as the source dates it (see docs/ for each source's meaning). */
  listenedAt: number;
  track: {
    name: string;
    /** MusicBrainz recording id. */
    mbid?: string;
    /** Spotify track id (ListenBrainz carries it for listens submitted from Spotify). */
    spotifyId?: string;
    isrc?: string;
    durationMs?: number;
  };
  /** Credits in order, main artist first (at least one). */
  artists: SourceArtist[];
  album?: { name: string; mbid?: string };
  /** A cover image the source offers (Last.fm's extralarge image), if any. */
  imageUrl?: string;
}

/** One page of listens, newest first. */
export interface ListenPage {
  listens: SourceListen[];
  /**
   * Pass as `before` to read the next (older) page; undefined when there is nothing older.
   * Listens at exactly this instant are on the next page, never lost or repeated.
   */
  next?: number;
  /** How many listens the user has in all, when the source says (for backfill progress). */
  total?: number;
}

export interface ListenRange {
  /** Only listens strictly after this instant (Unix ms). */
  after?: number;
  /** Only listens strictly before this instant (Unix ms). */
  before?: number;
}

/** A listening source's read side, for one user name. */
export interface ListeningSource {
  readonly kind: 'listenbrainz' | 'lastfm';
  /** Listens in the range, newest first, at most `limit` (the source's own page cap applies). */
  listens(user: string, range: ListenRange, limit: number): Promise<ListenPage>;
  /** What the user is playing now, if anything. */
  nowPlaying(user: string): Promise<SourceListen | undefined>;
}

/**
 * Failures every source can report, by meaning; adapters map their own codes onto these.
 * - rate-limited: wait until `retryAt` (Unix ms) before the next request to this source.
 * - not-found: no such user (renamed or deleted).
 * - private: the user's listens are not public (Last.fm's "login required").
 * - temporary: try again later (service offline, operation failed, 5xx).
 * - misconfigured: the operator's credentials were refused (bad or suspended API key).
 */
export type SourceFailure = 'rate-limited' | 'not-found' | 'private' | 'temporary' | 'misconfigured';

export class SourceError extends Error {
  constructor(
    readonly source: 'listenbrainz' | 'lastfm',
    readonly failure: SourceFailure,
    message: string,
    /** For 'rate-limited': when the next request may go, Unix ms. */
    readonly retryAt?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
