import { randomUUID } from 'node:crypto';
import { analysePlaylist, startSplitJob, type PlaylistAnalysis } from '../../core/sort/index.js';
import { UserError } from '../../core/errors.js';
import type { GenreMode } from '../../core/genres/index.js';
import type { SortJobRepository, SortPlaylistInfo, SortSpotify } from './ports.js';

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

/**
 * Reads the playlist and resolves its artists' genres (the only reads a split needs), then plans
 * the playlists. Nothing is written: the plan is stored as a previewed job that Confirm starts.
 */
export async function previewSplit(
  input: SplitPreviewInput,
  deps: {
    spotify: SortSpotify;
    jobs: SortJobRepository;
    now?: () => number;
    onProgress?: (p: PreviewProgress) => void;
  },
): Promise<SplitPreview> {
  const now = deps.now ?? Date.now;
  const playlist = await deps.spotify.playlist(input.playlistId);
  if (!playlist.readable) throw new UserError('sort.notYourPlaylist', { name: playlist.name });
  if (playlist.total === 0) throw new UserError('sort.emptyPlaylist', { name: playlist.name });

  const items = await deps.spotify.playlistItems(playlist.id, (done, total) =>
    deps.onProgress?.({ phase: 'reading', done, total }),
  );
  const artistIds = [
    ...new Set(items.flatMap((item) => (item.isLocal || item.type !== 'track' ? [] : item.artistIds))),
  ];
  const cached = await deps.spotify.cachedArtistIds(artistIds);
  const genres = await deps.spotify.genresForArtists(artistIds, (done, total) =>
    deps.onProgress?.({ phase: 'genres', done, total }),
  );
  const analysis = analysePlaylist(items, genres, {
    playlistName: playlist.name,
    mode: input.mode,
    minTracksPerGenre: input.minTracksPerGenre,
    cachedArtistIds: cached,
  });
  if (analysis.playlists.length === 0) throw new UserError('sort.nothingToSort', { name: playlist.name });

  const jobId = randomUUID();
  await deps.jobs.save({
    id: jobId,
    discordUserId: input.discordUserId,
    sourcePlaylistId: playlist.id,
    sourceName: playlist.name,
    createdAt: now(),
    status: 'previewed',
    state: startSplitJob(jobId, playlist.id, analysis.playlists),
  });
  const { itemPages, artistLookups, playlistCreates, trackAdds } = analysis.requests;
  return {
    jobId,
    playlist,
    analysis,
    spentRequests: 1 + itemPages + artistLookups,
    writeRequests: playlistCreates + trackAdds,
    remainingBudget: await deps.spotify.remainingBudget(),
  };
}
