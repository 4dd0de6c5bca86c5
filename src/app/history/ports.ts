import type { ImportedPlay } from '../../core/history/exportRecords.js';
import type { Gap } from '../../core/history/index.js';

/** A track as the history catalogue keeps it. */
export interface CatalogueTrack {
  id: string;
  name: string;
  durationMs?: number;
  isrc?: string;
  /** imageUrl: the cover Spotify gives (http(s)); mbid: the release's, for the Cover Art Archive. */
  album?: { id: string; name: string; releaseDate?: string; imageUrl?: string; mbid?: string };
  /** Credits in order, main artist first. */
  artists: Array<{ id: string; name: string }>;
}

/** One listen about to be stored. */
export interface NewPlay {
  /** When the play ended (Unix ms); with the member, the dedup key. */
  playedAt: number;
  track: CatalogueTrack;
  /** null when unknown. */
  msPlayed: number | null;
  /** msPlayed is the track's duration standing in for the unknown real figure. */
  msEstimated: boolean;
  source: 'collected' | 'imported' | 'listenbrainz' | 'lastfm';
  contextUri?: string;
  /** The parent genre the rollups count this play for (or "unclassified"). */
  genre: string;
}

/** A stored play, as tests and later features read it back. */
export interface StoredPlay {
  playedAt: number;
  trackId: string;
  msPlayed: number | null;
  msEstimated: boolean;
  source: 'collected' | 'imported' | 'listenbrainz' | 'lastfm';
  contextUri: string | null;
}

export interface CollectorState {
  memberId: string;
  /** Newest played_at collected (Unix ms): the after= cursor. */
  cursor?: number;
  nextPollAt: number;
  lastPollAt?: number;
  lastCount?: number;
  lastPlayAt?: number;
  /** Consecutive failed polls. */
  failures: number;
}

/** What one successful poll changes, all in one transaction. */
export interface PollRecord {
  plays: NewPlay[];
  gap?: Gap;
  detectedAt: number;
  state: Omit<CollectorState, 'memberId' | 'failures'>;
}

export interface HistoryRepository {
  /** The collector states of these members (members never polled are absent). */
  collectorStates(memberIds: readonly string[]): Promise<Map<string, CollectorState>>;
  /** The member's state, created due at `now` if it does not exist yet. */
  ensureCollectorState(memberId: string, now: number): Promise<CollectorState>;
  /**
   * Stores a poll's plays (new ones only: ON CONFLICT DO NOTHING), their catalogue rows, the
   * rollups of the plays actually inserted, the gap and the new state, in one transaction.
   * Undefined when the member's state is gone (they unlinked while the poll ran): nothing stored.
   */
  recordPoll(memberId: string, poll: PollRecord): Promise<{ inserted: number } | undefined>;
  /** A failed poll: try again at `nextPollAt`. */
  recordFailure(memberId: string, nextPollAt: number): Promise<void>;
  /** Forgets the collector state of a member who is not linked (any more): nothing to poll. */
  dropCollectorState(memberId: string): Promise<void>;
  /** Stores plays outside the collector (imports): same dedup and rollups. Returns how many were new. */
  insertPlays(memberId: string, plays: readonly NewPlay[]): Promise<number>;
  /** Deletes the member's plays, rollups, gaps and collector state; returns how many plays went. */
  deleteForUser(memberId: string): Promise<number>;
  plays(memberId: string, from?: number, to?: number): Promise<StoredPlay[]>;
  /**
   * Recounts the member's per-genre rollups from their plays, with each track's genre from
   * `genreOf` (given every artist id involved, it answers a track's genre from its artist ids in
   * credit order). Returns how many plays were recounted.
   */
  rebuildGenreRollups(
    memberId: string,
    genreOf: (artistIds: readonly string[]) => Promise<(trackArtists: readonly string[]) => string>,
  ): Promise<number>;
  /** Which of these members (every member when omitted) have plays counted as "unclassified". */
  unclassifiedMembers(memberIds?: readonly string[]): Promise<string[]>;
  /** A member's most played artists over UTC days [fromDay, toDay] (YYYY-MM-DD), from the rollups. */
  topArtists(
    memberId: string,
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<Array<{ artistId: string; name: string; plays: number; ms: number }>>;
  /** Plays and ms of each of these members over UTC days [fromDay, toDay], from the rollups (leaderboards, digests). */
  totals(
    memberIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Array<{ memberId: string; plays: number; ms: number }>>;
  gaps(memberId: string): Promise<Gap[]>;
}

/** One member's recently-played, as Spotify answers it (the gateway's shape, narrowed). */
export interface RecentlyPlayedPage {
  items: Array<{
    played_at: string;
    context?: { uri?: string | null } | null;
    track: {
      id?: string | null;
      name: string;
      duration_ms?: number;
      is_local?: boolean;
      external_ids?: { isrc?: string };
      album?: {
        id?: string | null;
        name?: string;
        release_date?: string | null;
        images?: Array<{ url?: string | null; width?: number | null }> | null;
      } | null;
      artists?: Array<{ id?: string | null; name: string }>;
    } | null;
  }>;
}

export interface HistorySpotify {
  /** GET /me/player/recently-played?limit=50&after=cursor at background priority. */
  recentlyPlayed(cursor?: number): Promise<RecentlyPlayedPage>;
}

/** Time-limited exclusive ownership of a member's poll across every instance on the database. */
export interface MemberLease {
  acquire(memberId: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  release(memberId: string, owner: string): Promise<void>;
}

export interface HistoryLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CollectorDeps {
  repo: HistoryRepository;
  /** Members whose Spotify link is active (a dead link is not polled until the member relinks). */
  activeMembers(): Promise<string[]>;
  /** A background-priority Spotify client for the member; throws NotLinked/RelinkNeeded errors. */
  spotifyFor(memberId: string): Promise<HistorySpotify>;
  /** Genres of these artists from the shared cache only: no Spotify request per artist. */
  cachedGenres(artistIds: readonly string[]): Promise<Map<string, readonly string[]>>;
  lease: MemberLease;
  /** Who this instance is, as a lease owner. */
  instanceId: string;
  log: HistoryLog;
}

// /import: its upload links and where an import's plays go (the Services name HistoryImportDeps).

/** What an upload link remembers: whose history it fills, and how Discord showed them when they asked. */
export interface ImportLinkRecord {
  discordUserId: string;
  discordName?: string;
}

export interface ImportTokens {
  issue(token: string, record: ImportLinkRecord, expiresAt: number): Promise<void>;
  peek(token: string, now: number): Promise<ImportLinkRecord | undefined>;
  take(token: string, now: number): Promise<ImportLinkRecord | undefined>;
  deleteFor(discordUserId: string): Promise<number>;
  /** The /import rate limit (a sliding window per member, as /link's). */
  admit(
    discordUserId: string,
    now: number,
    windowMs: number,
    limit: number,
  ): Promise<{ admitted: true } | { admitted: false; retryAt: number }>;
}

export interface ImportLinkDeps {
  tokens: ImportTokens;
  isLinked(discordUserId: string): Promise<boolean>;
  publicUrl: string;
  now?: () => number;
}

/** Where an import stages its plays: nothing is visible to anyone until `commit`. */
export interface ImportSession {
  add(plays: readonly ImportedPlay[]): Promise<void>;
  /**
   * Stores the staged plays that are not already stored (see the store for the same-listen rule),
   * their catalogue rows and rollups, and the import's record, in one transaction.
   */
  commit(
    summary: { podcasts: number; short: number; unusable: number; files: number },
    genreOf: (artistIds: readonly string[]) => Promise<(trackArtists: readonly string[]) => string>,
  ): Promise<{ inserted: number; duplicates: number; from?: number; to?: number }>;
  /** Drops everything staged. */
  abort(): Promise<void>;
}

export interface ImportRepository {
  begin(memberId: string, startedAt: number): Promise<ImportSession>;
  /** Deletes the member's import records; how many there were. */
  deleteForUser(memberId: string): Promise<number>;
}

/** What an import needs: its link (tokens, the linked check, the clock) and where plays go. */
export interface HistoryImportDeps extends ImportLinkDeps {
  repo: ImportRepository;
  /** Genres of these artists from the shared cache only: no Spotify request per artist or play. */
  cachedGenres(artistIds: readonly string[]): Promise<Map<string, readonly string[]>>;
}
