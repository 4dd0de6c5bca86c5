import type { ListeningSource, SourceFailure, SourceKind, SourcePlaysRepository, SourceSyncState } from './ports.js';

/** A link's sync state as the syncer keeps it: the port's state plus what paces and reports the backfill. */
export interface SourceSyncRecord extends SourceSyncState {
  /** The account this progress belongs to (the link's user name when it was read). */
  userName: string;
  /** The last failure since the last good step, if any (so a refused API key is logged once). */
  lastFailure?: SourceFailure;
  /** When the backfill's first page was asked for (Unix ms). */
  backfillStartedAt?: number;
  /** Backfill pages read so far. */
  pages: number;
  /** Where the last progress report stood: when, and how many listens and pages were in by then. */
  progressAt?: number;
  progressRead?: number;
  progressPages?: number;
}

export interface SourceSyncRepository {
  /**
   * The links of these sources still syncing (status 'ok') whose next step is due at `now`, the
   * longest waiting first. The state is created with the link (SourceLinksRepository.link).
   */
  due(sources: readonly SourceKind[], now: number): Promise<SourceSyncRecord[]>;
  /** One link's state, read afresh under its lease; undefined once the member unlinked. */
  get(memberId: string, source: SourceKind): Promise<SourceSyncRecord | undefined>;
  /**
   * Saves a step's outcome. False when the member unlinked or switched to another account since
   * the step read the state: nothing is written then.
   */
  save(state: SourceSyncRecord): Promise<boolean>;
  /**
   * Holds every syncing link of `source` until at least `until`: a rate limit or a refused API key
   * is the source's, not one member's, so the others must not spend requests finding it out again.
   */
  deferSource(source: SourceKind, until: number, failure: SourceFailure): Promise<number>;
}

/** Time-limited exclusive ownership of one member's sync with one source, across every instance. */
export interface SourceSyncLease {
  acquire(memberId: string, source: SourceKind, owner: string, ttlMs: number, now: number): Promise<boolean>;
  release(memberId: string, source: SourceKind, owner: string): Promise<void>;
}

export interface SourceSyncLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What a progress report says: "34,000 of about 120,000 plays in; about 6 minutes left". */
export interface BackfillProgress {
  read: number;
  /** The source's count of the member's listens, when it gave one. */
  total?: number;
  /** Time left at the pace of the pages read since the last report; undefined without a total. */
  etaMs?: number;
}

export interface SourceSyncDeps {
  /** The sources this instance can read (Last.fm only when the operator configured an API key). */
  sources: Partial<Record<SourceKind, ListeningSource>>;
  sync: SourceSyncRepository;
  plays: SourcePlaysRepository;
  /** Passed to storeListens: genres of resolved artists from the shared cache, no Spotify request. */
  genreOf: Parameters<SourcePlaysRepository['storeListens']>[3];
  lease: SourceSyncLease;
  /** Who this instance is, as a lease owner. */
  instanceId: string;
  log: SourceSyncLog;
  /** The clock (Unix ms): steps take time (the clients wait out rate limits), and the pace is measured on it. */
  now(): number;
  /** Progress is reported at most once per `pages` pages and `ms` milliseconds. Default 10 pages and 60 s. */
  progressEvery?: { pages: number; ms: number };
  onProgress?(memberId: string, source: SourceKind, progress: BackfillProgress): Promise<void> | void;
  onBackfillDone?(memberId: string, source: SourceKind, done: { read: number }): Promise<void> | void;
  /** Syncing stopped until the member connects the account again (so the feature can tell them why). */
  onStopped?(memberId: string, source: SourceKind, status: 'private' | 'not-found'): Promise<void> | void;
}
