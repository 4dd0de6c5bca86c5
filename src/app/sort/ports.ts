import type { ArtistGenreLookup, PlaylistItemInput, ReorderOperation, SplitJobState } from '../../core/sort/index.js';

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
  genresForArtists(ids: readonly string[], onProgress?: (done: number, total: number) => void): Promise<ArtistGenreLookup>;
  createPrivatePlaylist(name: string, description: string): Promise<string>;
  /** A playlist of the member's with this name whose description carries `marker`, if any. */
  findOwnPlaylist(name: string, marker: string): Promise<string | undefined>;
  /** Appends ≤ 100 items at the end. */
  appendItems(playlistId: string, uris: readonly string[]): Promise<void>;
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
}

export interface SortJobRepository {
  get(id: string): Promise<SortJobRecord | undefined>;
  save(job: SortJobRecord): Promise<void>;
  /** Jobs that are running (interrupted by a restart) or waiting. */
  listUnfinished(): Promise<SortJobRecord[]>;
  /** Every job of one member, for /unlink. */
  deleteForUser(discordUserId: string): Promise<number>;
}
