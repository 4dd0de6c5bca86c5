import type { GenreMode } from '../../core/genres/index.js';
import type { chooseGenreSource } from './chooseGenreSource.js';
import type { chooseOrder } from './chooseOrder.js';
import type { cancelSort } from './cancelSort.js';
import type { confirmSplit } from './confirmSplit.js';
import type { GenreChoiceRepository, previewSplitOrAsk, SplitGenreChoice } from './genreChoice.js';
import type { OrderInput, OrderResult } from './orderPlaylist.js';
import type { PreviewProgress, SplitPreviewInput } from './previewSplit.js';
import type { OrderRunOutcome } from './runOrder.js';
import type { RunOutcome, SplitProgress } from './runSplit.js';
import type {
  ArtistGenreLookup,
  EarlierPlaylist,
  OrderBy,
  OrderJobState,
  PlaylistItemInput,
  ReorderOperation,
  SplitJobState,
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

/** A use case with its runner already given. */
type Bound<F> = F extends (runner: never, ...rest: infer P) => infer R ? (...rest: P) => R : never;

/** /sort's use cases for one member: every state change of a sort happens behind these. */
export interface SortService {
  /** The member's own and collaborative playlists (cached for a few minutes). */
  playlistsFor(discordUserId: string): Promise<Array<{ id: string; name: string; total: number }>>;
  /** A split's preview, or the "now or thrifty" question for a large one (see previewSplitOrAsk). */
  previewSplit(
    input: SplitPreviewInput,
    onProgress?: (progress: PreviewProgress) => void,
  ): ReturnType<typeof previewSplitOrAsk>;
  /** Reorders in place, or stores the job and asks whether "date added" may be reset (see orderPlaylist). */
  order(
    input: OrderInput,
    discordUserId: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<OrderResult>;
  confirmSplit: Bound<typeof confirmSplit>;
  chooseOrder: Bound<typeof chooseOrder>;
  chooseGenreSource: Bound<typeof chooseGenreSource>;
  cancel(jobId: string, discordUserId: string): ReturnType<typeof cancelSort>;
}

export interface SortRunOptions {
  priority: 'interactive' | 'background';
  onProgress?: (progress: SplitProgress) => void;
  onOrderProgress?: (progress: { written: number; total: number }) => void;
  reply?: InteractionReplyRef;
  now?: () => number;
}
