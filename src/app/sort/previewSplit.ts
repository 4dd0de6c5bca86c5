import { randomUUID } from 'node:crypto';
import { analysePlaylist, startSplitJob } from '../../core/sort/index.js';
import { UserError } from '../../core/errors.js';
import type { PlaylistItemInput } from '../../core/sort/index.js';
import type {
  PreviewProgress,
  SortJobRepository,
  SortSpotify,
  SplitPreview,
  SplitPreviewInput,
  SplitSource,
} from './ports.js';

/** The parts of the sort port a preview uses. */
export type PreviewSpotify = Pick<
  SortSpotify,
  'playlist' | 'playlistItems' | 'cachedArtistIds' | 'genresForArtists' | 'remainingBudget' | 'learnArtistNames'
>;

/** Reads the playlist and its items (the only reads a split needs besides genres). */
export async function readSplitSource(
  playlistId: string,
  spotify: Pick<SortSpotify, 'playlist' | 'playlistItems'>,
  onProgress?: (p: PreviewProgress) => void,
): Promise<SplitSource> {
  const playlist = await spotify.playlist(playlistId);
  if (!playlist.readable) throw new UserError('sort.notYourPlaylist', { name: playlist.name });
  if (playlist.total === 0) throw new UserError('sort.emptyPlaylist', { name: playlist.name });
  const items = await spotify.playlistItems(playlist.id, (done, total) =>
    onProgress?.({ phase: 'reading', done, total }),
  );
  return { playlist, items };
}

/** The distinct artists of a split's tracks (local files and episodes have none to look up). */
export const splitArtistIds = (items: readonly PlaylistItemInput[]): string[] => [
  ...new Set(items.flatMap((item) => (item.isLocal || item.type !== 'track' ? [] : item.artistIds))),
];

/**
 * Reads the playlist (unless `source` was read already) and resolves its artists' genres, then plans
 * the playlists. Nothing is written: the plan is stored as a previewed job that Confirm starts.
 */
export async function previewSplit(
  input: SplitPreviewInput,
  deps: {
    spotify: PreviewSpotify;
    jobs: SortJobRepository;
    now?: () => number;
    onProgress?: (p: PreviewProgress) => void;
    source?: SplitSource;
  },
): Promise<SplitPreview> {
  const now = deps.now ?? Date.now;
  const { playlist, items } = deps.source ?? (await readSplitSource(input.playlistId, deps.spotify, deps.onProgress));
  if (deps.source) deps.spotify.learnArtistNames?.(deps.source.items);
  const artistIds = splitArtistIds(items);
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
  const [, remainingBudget] = await Promise.all([
    deps.jobs.save({
      id: jobId,
      discordUserId: input.discordUserId,
      sourcePlaylistId: playlist.id,
      sourceName: playlist.name,
      createdAt: now(),
      status: 'previewed',
      state: startSplitJob(jobId, playlist.id, analysis.playlists),
    }),
    deps.spotify.remainingBudget(),
  ]);
  const { itemPages, artistLookups, playlistCreates, trackAdds } = analysis.requests;
  return {
    jobId,
    playlist,
    analysis,
    spentRequests: 1 + itemPages + artistLookups,
    writeRequests: playlistCreates + trackAdds,
    remainingBudget,
  };
}
