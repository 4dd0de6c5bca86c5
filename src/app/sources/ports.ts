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

/** The sources a member can connect besides Spotify. */
export type SourceKind = ListeningSource['kind'];

/** A member's connection to a listening source: only the public user name is kept, never a token. */
export interface SourceLink {
  memberId: string;
  source: SourceKind;
  userName: string;
  /** Unix ms. */
  linkedAt: number;
}

export interface SourceLinksRepository {
  /**
   * Connects the member to `userName` on `source` (replacing their earlier account there);
   * 'taken' when another Discord member already holds that account on that source: nothing stored.
   */
  link(memberId: string, source: SourceKind, userName: string, now: number): Promise<'linked' | 'taken'>;
  linksOf(memberId: string): Promise<SourceLink[]>;
  allLinks(): Promise<SourceLink[]>;
  /** Forgets the member's link to `source` (every source when omitted) and its sync state; returns how many went. */
  unlink(memberId: string, source?: SourceKind): Promise<number>;
}

/** Where a member's sync with one source stands (the backfill reads backwards, the poll forwards). */
export interface SourceSyncState {
  memberId: string;
  source: SourceKind;
  /** The backfill reads listens strictly before this instant next (Unix ms); undefined before the first page. */
  backfillBefore?: number;
  backfillDone: boolean;
  /** Listens read so far by the backfill, and the source's total when it says (for progress). */
  read: number;
  total?: number;
  /** Newest listen stored (Unix ms): the poll reads strictly after it. */
  cursor?: number;
  nextPollAt: number;
  failures: number;
  /** 'ok', or why syncing stopped until the member acts (private profile, renamed or deleted account). */
  status: 'ok' | 'private' | 'not-found';
}

/** How listens from a source become plays: matched to the catalogue, counted once, in one transaction. */
export interface SourcePlaysRepository {
  /**
   * Stores the listens as the member's plays. Artists and tracks are matched to what the catalogue
   * already knows (Spotify ids, MBIDs, ISRC, normalised names); a listen the member already has from
   * another source (the same track within a few seconds) is not stored again.
   * `genreOf` answers, given every resolved artist id, a function from a track's credits to its genre.
   */
  storeListens(
    memberId: string,
    source: SourceKind,
    listens: readonly SourceListen[],
    genreOf: (artistIds: readonly string[]) => Promise<(trackArtists: readonly string[]) => string>,
  ): Promise<{ inserted: number }>;
}

/** A Last.fm approval in progress: who started it, and from which server. */
export interface LastfmStateRecord {
  discordUserId: string;
  guildId?: string;
}

export interface ConnectDeps {
  links: SourceLinksRepository;
  /** Absent when the operator did not configure the source. */
  listenbrainz?: { validateToken(token: string): Promise<{ userName: string }> };
  lastfm?: { authUrl(callbackUrl: string): string; getSession(token: string): Promise<{ userName: string }> };
  /** One-time states of the Last.fm web flow (single use, expiring). */
  lastfmStates: {
    put(state: string, record: LastfmStateRecord, expiresAt: number): Promise<void>;
    take(state: string, now: number): Promise<LastfmStateRecord | undefined>;
  };
  /** Connection attempts per member in a sliding window, as /link's are counted. */
  admit(discordUserId: string, now: number): Promise<{ admitted: true } | { admitted: false; retryAt: number }>;
  /** Starts the backfill and tells the member (the feature's part). */
  onConnected(connection: {
    discordUserId: string;
    source: SourceKind;
    userName: string;
    guildId?: string;
  }): Promise<void>;
  publicUrl: string;
  now(): number;
}

/** What /link, its modal and the Last.fm callback use (the sources feature provides it). */
export interface SourcesService {
  connect: ConnectDeps;
  links: SourceLinksRepository;
  /** Which sources this bot's operator set up. */
  available: { listenbrainz: boolean; lastfm: boolean };
  /** The set-up sources' read side, shared with the sync (one client, one rate limit, per source). */
  readers: Partial<Record<SourceKind, ListeningSource>>;
}
