import type { UserError } from '../../core/errors.js';
import type { GenreMode } from '../../core/genres/index.js';
import type {
  ArtistGenreLookup,
  EarlierPlaylist,
  OrderBy,
  OrderJobState,
  PlaylistAnalysis,
  PlaylistItemInput,
  ReorderOperation,
  SplitJobState,
  splitProgress,
  splitWritten,
} from '../../core/sort/index.js';

/** A playlist as the sorter sees it. */
export interface SortPlaylistInfo {
  id: string;
  name: string;
  snapshotId: string;
  total: number;
  /** The member owns it or collaborates on it: only then can Spotify read its items. */
  readable: boolean;
}

/**
 * What sorting needs from Spotify for one member. The Spotify gateway provides it; the split
 * runner only ever calls these, so the request count of a sort is the sum of these calls.
 */
export interface SortSpotify {
  playlist(id: string): Promise<SortPlaylistInfo>;
  playlistItems(id: string, onProgress?: (read: number, total: number) => void): Promise<PlaylistItemInput[]>;
  /** Which of these artists the shared genre cache already knows (no request). */
  cachedArtistIds(ids: readonly string[]): Promise<ReadonlySet<string>>;
  genresForArtists(
    ids: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<ArtistGenreLookup>;
  /** Artist names from items read earlier (a stored choice), for the genre resolver's by-name fallback. */
  learnArtistNames?(items: readonly PlaylistItemInput[]): void;
  createPrivatePlaylist(name: string, description: string): Promise<string>;
  /** The member's own playlists with one of these names whose description carries `marker`, with their items. */
  earlierPlaylists(names: readonly string[], marker: string): Promise<EarlierPlaylist[]>;
  /**
   * earlierPlaylists, plus the descriptions of every playlist the member owns (the same one read):
   * their markers name each source an earlier Encore sort made playlists from.
   */
  findEarlier?(
    names: readonly string[],
    marker: string,
  ): Promise<{ found: EarlierPlaylist[]; ownDescriptions: string[] }>;
  /** Appends ≤ 100 items at the end; returns the new snapshot id. */
  appendItems(playlistId: string, uris: readonly string[]): Promise<string>;
  countItems(playlistId: string): Promise<number>;
  /** One reorder call; returns the new snapshot id. */
  reorder(playlistId: string, operation: ReorderOperation, snapshotId: string): Promise<string>;
  /** Replaces all items with ≤ 100 URIs; returns the new snapshot id. */
  replaceItems(playlistId: string, uris: readonly string[]): Promise<string>;
  /** Requests today's budget still allows for this kind of work. */
  remainingBudget(): Promise<number>;
}

export type SortJobStatus = 'previewed' | 'running' | 'waiting' | 'done' | 'cancelled' | 'failed';

/** A split job as stored: the pure job state plus who asked and where it stands. */
export interface SortJobRecord {
  id: string;
  discordUserId: string;
  sourcePlaylistId: string;
  sourceName: string;
  createdAt: number;
  status: SortJobStatus;
  /** When a waiting job may run again (quota, budget, Spotify outage). */
  resumeAt?: number;
  error?: string;
  state: SplitJobState;
  /**
   * The Confirm click's interaction, so whoever finishes the job (this process after a restart,
   * another instance) can still update the member's original message while Discord lets us.
   */
  reply?: InteractionReplyRef;
}

/** Enough to edit an interaction's original reply: Discord keeps its token valid for 15 minutes. */
export interface InteractionReplyRef {
  applicationId: string;
  token: string;
  expiresAt: number;
}

/** What every stored sort job has: who asked, which playlist it works on, where it stands. */
export interface JobRecordBase {
  id: string;
  discordUserId: string;
  sourcePlaylistId: string;
  sourceName: string;
  status: SortJobStatus;
  resumeAt?: number;
  reply?: InteractionReplyRef;
}

/** A reorder that replaces the playlist's items, as stored: resumable like a split. */
export interface OrderJobRecord extends JobRecordBase {
  createdAt: number;
  error?: string;
  state: OrderJobState;
  /** Reorder calls that would keep every "date added", offered as the slower choice. */
  moveCalls: number;
  /** Runs that ended in an unexpected error; retried a few times before giving up. */
  failedAttempts?: number;
  /** What the member asked for, to plan the moves instead if they choose to keep the dates. */
  request: { playlistId: string; by: OrderBy; mode: GenreMode; descending?: boolean };
}

export type SortJobRepository = JobRepository<SortJobRecord>;

/**
 * Which source playlists each member has split, kept for good (job records expire): only a source
 * the member sorted before can have earlier playlists to adopt, so only then is GET /me/playlists read.
 */
export interface SortedSourcesRepository {
  /**
   * `known`: the member's record is complete (every source they ever split is in it, because a
   * read of their playlists seeded it); `sorted`: this source is in it. A member from before the
   * record existed has no complete record: every sort of theirs looks for earlier playlists.
   */
  lookup(discordUserId: string, sourcePlaylistId: string): Promise<{ known: boolean; sorted: boolean }>;
  /** Records that the member split this source (before anything is created, so a crash still leaves it). */
  mark(discordUserId: string, sourcePlaylistId: string): Promise<void>;
  /** Records the sources a read of the member's playlists found, and that the record is now complete. */
  seed(discordUserId: string, sourcePlaylistIds: readonly string[]): Promise<void>;
  /** For /unlink: how many records went. */
  deleteForUser(discordUserId: string): Promise<number>;
}
export type OrderJobRepository = JobRepository<OrderJobRecord>;

export interface JobRepository<R extends JobRecordBase> {
  get(id: string): Promise<R | undefined>;
  save(job: R): Promise<void>;
  /** Jobs that are running (interrupted by a restart) or waiting. */
  listUnfinished(): Promise<R[]>;
  /**
   * The one-runner lease over a member's sorts of one source playlist, shared by every process:
   * true when `owner` holds it until now + ttl. Two runners of one job, or of two jobs that would
   * fill the same genre playlists, can never write at once.
   */
  lease(job: JobRecordBase, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /** Extends a lease `owner` holds; false when it was lost to another runner. */
  renewLease(job: JobRecordBase, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(job: JobRecordBase, owner: string): Promise<void>;
  /** Asks whoever runs the job to stop at its next step. */
  requestCancel(jobId: string): Promise<void>;
  cancelRequested(jobId: string): Promise<boolean>;
  /** Every job of one member, for /unlink. */
  deleteForUser(discordUserId: string): Promise<number>;
}

/**
 * The sort feature's machinery, which the use cases drive: the job stores shared by every runner,
 * each member's Spotify, and the runners (one per job, stopped resumably at shutdown).
 */
export interface SortRunner {
  jobs: SortJobRepository;
  /** The sources each member split, so a first sort of a playlist skips looking for earlier ones. */
  sorted?: SortedSourcesRepository;
  /** Reorder jobs that replace a playlist's items (the member chose to reset "date added"). */
  orderJobs: OrderJobRepository;
  /** Large splits' "now or thrifty" choices; absent when MusicBrainz is off (there is no thrifty way then). */
  choices?: GenreChoiceRepository;
  forMember(discordUserId: string, priority?: 'interactive' | 'background'): Promise<SortSpotify>;
  /** The member's own and collaborative playlists (cached for a few minutes). */
  playlistsFor(discordUserId: string): Promise<Array<{ id: string; name: string; total: number }>>;
  /** Runs a split job as its only runner (see runSplitJob); a shutdown stops it resumably. */
  run(job: SortJobRecord, accept: (job: SortJobRecord) => boolean, options: SortRunOptions): Promise<RunOutcome>;
  runOrder(
    job: OrderJobRecord,
    accept: (job: OrderJobRecord) => boolean,
    options: SortRunOptions,
  ): Promise<OrderRunOutcome>;
  /** Finds a chosen-thrifty split's genres on MusicBrainz in the background, then shows or DMs its preview. */
  startThrifty?(choice: SplitGenreChoice): void;
  /** Stops every run at its next step and waits for them (shutdown). */
  stop(): Promise<void>;
}

/** /sort's use cases for one member: every state change of a sort happens behind these. */
export interface SortService {
  /** The member's own and collaborative playlists (cached for a few minutes). */
  playlistsFor(discordUserId: string): Promise<Array<{ id: string; name: string; total: number }>>;
  /** A split's preview, or the "now or thrifty" question for a large one (see previewSplitOrAsk). */
  previewSplit(
    input: SplitPreviewInput,
    onProgress?: (progress: PreviewProgress) => void,
  ): Promise<SplitPreviewOrChoice>;
  /** Reorders in place, or stores the job and asks whether "date added" may be reset (see orderPlaylist). */
  order(
    input: OrderInput,
    discordUserId: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<OrderResult>;
  /** Confirm on a split preview (see confirmSplit). */
  confirmSplit(jobId: string, discordUserId: string, watch?: SplitWatch): Promise<ConfirmSplitOutcome>;
  /** The answer to "reorder now or keep the dates?" (see chooseOrder). */
  chooseOrder(
    jobId: string,
    discordUserId: string,
    choice: OrderChoice,
    watch?: OrderChoiceWatch,
  ): Promise<ChooseOrderOutcome>;
  /** The answer to "now or thrifty?" (see chooseGenreSource). */
  chooseGenreSource(
    choiceId: string,
    discordUserId: string,
    source: GenreSource,
    watch?: GenreSourceWatch,
  ): Promise<ChooseGenreSourceOutcome>;
  cancel(jobId: string, discordUserId: string): Promise<CancelAnswer>;
}

export interface SortRunOptions {
  priority: 'interactive' | 'background';
  onProgress?: (progress: SplitProgress) => void;
  onOrderProgress?: (progress: { written: number; total: number }) => void;
  reply?: InteractionReplyRef;
  now?: () => number;
}

// What the use cases take and answer. They live here, not beside each use case, so this file names
// them without importing a use case: the ports stay a leaf of src/app/sort.

export interface SplitPreviewInput {
  discordUserId: string;
  playlistId: string;
  minTracksPerGenre: number;
  mode: GenreMode;
}

export interface SplitPreview {
  jobId: string;
  playlist: SortPlaylistInfo;
  analysis: PlaylistAnalysis;
  /** Requests already spent reading the playlist and resolving genres. */
  spentRequests: number;
  /** Requests the writes will cost on Confirm (creates + adds). */
  writeRequests: number;
  /** Requests today's budget still allows; the preview warns when the writes don't fit. */
  remainingBudget: number;
}

export interface PreviewProgress {
  phase: 'reading' | 'genres';
  done: number;
  total: number;
}

/** A playlist and its items, read once: a preview can be planned from it now or later (a thrifty sort). */
export interface SplitSource {
  playlist: SortPlaylistInfo;
  items: PlaylistItemInput[];
}

/**
 * A large split whose artists the genre cache mostly does not know: the member chooses between
 * "now" (one Spotify GET /artists/{id} per unknown artist, from today's quota) and "thrifty"
 * (MusicBrainz at one request a second, no Spotify request; the preview arrives later).
 */
export interface SplitGenreChoice {
  id: string;
  discordUserId: string;
  createdAt: number;
  request: SplitPreviewInput;
  /** The playlist as read when the member asked: neither choice reads it again. */
  source: SplitSource;
  /** Artists the cache does not know: "now" costs one Spotify request each. */
  unknownArtists: number;
  /** About how long the thrifty way takes. */
  thriftyMinutes: number;
  /** Requests today's budget still allowed when the member was asked. */
  remainingBudget: number;
  status: 'asked' | 'thrifty' | 'done' | 'cancelled' | 'failed';
  /** The interaction that chose thrifty: its message shows the preview while Discord lets us edit it. */
  reply?: InteractionReplyRef;
}

export interface GenreChoiceRepository {
  get(id: string): Promise<SplitGenreChoice | undefined>;
  save(choice: SplitGenreChoice): Promise<void>;
  /** Choices that went thrifty and have no preview yet (a restart resumes them). */
  listThrifty(): Promise<SplitGenreChoice[]>;
  deleteForUser(discordUserId: string): Promise<number>;
}

/** A split's first answer: its preview, or the "now or thrifty" question for a large one. */
export type SplitPreviewOrChoice =
  { kind: 'preview'; preview: SplitPreview } | { kind: 'choose'; choice: SplitGenreChoice };

export interface OrderInput {
  playlistId: string;
  by: OrderBy;
  mode: GenreMode;
  descending?: boolean;
  /** Only move items (slower), so every track keeps its "date added". */
  keepDates?: boolean;
}

export type OrderResult =
  | { plan: 'already-sorted' | 'reorder'; name: string; items: number; writeCalls: number }
  /** Replacing is cheapest but resets "date added": the member chooses, the job waits as a preview. */
  | { plan: 'choose'; name: string; items: number; jobId: string; replaceCalls: number; moveCalls: number };

/** Why a run under the one-runner lease did not start: another runner has it, it moved on, or it is gone. */
export type LeaseRefusal<R> = { kind: 'busy'; job: R } | { kind: 'not-runnable'; job: R } | { kind: 'missing' };

export type SplitProgress = ReturnType<typeof splitProgress>;
export type WrittenPlaylist = ReturnType<typeof splitWritten>[number];

export type RunOutcome =
  | { kind: 'done'; job: SortJobRecord; playlists: WrittenPlaylist[] }
  | { kind: 'waiting'; job: SortJobRecord; resumeAt: number; reason: string; written: WrittenPlaylist[] }
  | { kind: 'cancelled'; job: SortJobRecord; written: WrittenPlaylist[] }
  /** The run stopped but the job is intact and resumes by itself (database lost, shutdown, lease lost). */
  | { kind: 'interrupted'; job: SortJobRecord; reason: 'store' | 'shutdown' | 'lease-lost'; written: WrittenPlaylist[] }
  | { kind: 'failed'; job: SortJobRecord; error: UserError | Error; written: WrittenPlaylist[] }
  /** Another runner holds the job's lease: it is already running. */
  | { kind: 'busy'; job: SortJobRecord }
  /** The job is not in a state this caller may run (already done, cancelled, not yet due). */
  | { kind: 'not-runnable'; job: SortJobRecord }
  | { kind: 'missing' };

export type OrderRunOutcome =
  | { kind: 'done'; job: OrderJobRecord }
  | { kind: 'waiting'; job: OrderJobRecord; resumeAt: number }
  | { kind: 'interrupted'; job: OrderJobRecord; reason: 'store' | 'shutdown' | 'lease-lost' }
  | { kind: 'failed'; job: OrderJobRecord; error: Error }
  | LeaseRefusal<OrderJobRecord>;

/** A click on a job that can't start any more: it runs already, finished, or was cancelled. */
export interface NotStartable {
  kind: 'not-startable';
  status: SortJobStatus;
}

export type ConfirmSplitOutcome = NotStartable | Exclude<RunOutcome, { kind: 'busy' | 'not-runnable' | 'missing' }>;

/** Where a run reports to while the member watches. */
export interface SplitWatch {
  reply?: InteractionReplyRef;
  onProgress?: (progress: SplitProgress) => void;
}

/** Replace the items (resets "date added"), keep the dates (moves), or leave the playlist alone. */
export type OrderChoice = 'replace' | 'keep' | 'cancel';

export type ChooseOrderOutcome =
  | NotStartable
  | { kind: 'cancelled' }
  /** The dates were kept: the playlist was reordered by moves, at once. */
  | { kind: 'kept'; result: OrderResult }
  | Exclude<OrderRunOutcome, { kind: 'busy' | 'not-runnable' | 'missing' }>;

/** Progress of a chosen reorder; `keptDates` while moves (which report no count) are under way. */
export type OrderChoiceProgress = { written: number; total: number; keptDates?: boolean };

/** Where a chosen reorder reports to while the member watches. */
export interface OrderChoiceWatch {
  reply?: InteractionReplyRef;
  onProgress?: (progress: OrderChoiceProgress) => void;
}

/** Find a large split's genres now (Spotify's quota), thriftily (MusicBrainz, later), or not at all. */
export type GenreSource = 'now' | 'thrifty' | 'cancel';

export type ChooseGenreSourceOutcome =
  | NotStartable
  | { kind: 'cancelled' }
  /** MusicBrainz is at work: the preview comes later, on the member's message or by DM. */
  | { kind: 'thrifty'; choice: SplitGenreChoice }
  | { kind: 'preview'; preview: SplitPreview };

/**
 * Where "now or thrifty?" reports to. `announceThrifty` shows that the thrifty way started before its
 * run begins, so a quick preview can never be overwritten by that notice.
 */
export interface GenreSourceWatch {
  reply?: InteractionReplyRef;
  onProgress?: (progress: PreviewProgress) => void;
  announceThrifty?: (choice: SplitGenreChoice) => Promise<void>;
}

export type CancelAnswer =
  | { kind: 'cancelled-preview' }
  | { kind: 'stopped'; written: WrittenPlaylist[] }
  | { kind: 'stopping' }
  | { kind: 'already-done'; written: WrittenPlaylist[] }
  | { kind: 'already-cancelled' };

/** Time-limited ownership of a piece of work, shared by every instance on the database (the store's leases). */
export interface WorkLeases {
  acquire(kind: string, id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  release(kind: string, id: string, owner: string): Promise<void>;
}

export interface SortLog {
  warn(fields: object, message: string): void;
}
