import { UserError } from '../../core/errors.js';
import { randomUUID } from 'node:crypto';
import { planOrderChange, startOrderJob, targetOrder } from '../../core/sort/index.js';
import type { OrderInput, OrderJobRepository, OrderResult, SortSpotify } from './ports.js';

export interface OrderDeps {
  spotify: SortSpotify;
  jobs: OrderJobRepository;
  discordUserId: string;
  now?: () => number;
}

/**
 * Reorders a playlist in place with the fewest writes the planner finds. When replacing its items
 * is cheapest, nothing is written: that resets every track's "date added", so the member chooses
 * between it (a resumable job, runOrderJob) and the slower moves that keep the dates. Each reorder names the
 * snapshot it was planned against and chains the snapshot Spotify returns; if the playlist changed
 * between reading and writing, nothing is written and the member is asked to try again. Replacing
 * (fewer calls for big reshuffles) is not used for the added-date order, since it would reset
 * every added date, nor when the playlist holds local files, which can't be added back.
 */
export async function orderPlaylist(
  input: OrderInput,
  deps: OrderDeps,
  onProgress?: (done: number, total: number) => void,
): Promise<OrderResult> {
  const { spotify } = deps;
  const playlist = await spotify.playlist(input.playlistId);
  if (!playlist.readable) throw new UserError('sort.notYourPlaylist', { name: playlist.name });
  const items = await spotify.playlistItems(playlist.id);
  if (items.length < 2) return { name: playlist.name, items: items.length, plan: 'already-sorted', writeCalls: 0 };

  const artistIds = [...new Set(items.flatMap((i) => (i.type === 'track' && !i.isLocal ? i.artistIds : [])))];
  const artistGenres = input.by === 'genre-artist' ? await spotify.genresForArtists(artistIds) : undefined;
  const target = targetOrder(items, { by: input.by, artistGenres, mode: input.mode, descending: input.descending });
  if (target.every((index, position) => index === position))
    return { name: playlist.name, items: items.length, plan: 'already-sorted', writeCalls: 0 };

  const uris = items.map((i) => i.uri);
  const hasLocalFiles = items.some((i) => i.isLocal);
  const plan = planOrderChange(uris, target, {
    allowReplace: input.by !== 'added-date' && !input.keepDates && !hasLocalFiles,
  });
  if (plan.kind === 'replace') {
    const moves = planOrderChange(uris, target, { allowReplace: false });
    const jobId = randomUUID();
    await deps.jobs.save({
      id: jobId,
      discordUserId: deps.discordUserId,
      sourcePlaylistId: playlist.id,
      sourceName: playlist.name,
      createdAt: (deps.now ?? Date.now)(),
      status: 'previewed',
      state: startOrderJob(jobId, playlist.id, plan.batches.flat(), playlist.snapshotId),
      moveCalls: moves.calls,
      request: { playlistId: input.playlistId, by: input.by, mode: input.mode, descending: input.descending },
    });
    return {
      plan: 'choose',
      name: playlist.name,
      items: items.length,
      jobId,
      replaceCalls: plan.calls,
      moveCalls: moves.calls,
    };
  }
  const latest = await spotify.playlist(playlist.id);
  if (latest.snapshotId !== playlist.snapshotId) throw new UserError('sort.playlistChanged', { name: playlist.name });

  let snapshot = latest.snapshotId;
  for (const [i, operation] of plan.operations.entries()) {
    snapshot = await spotify.reorder(playlist.id, operation, snapshot);
    onProgress?.(i + 1, plan.operations.length);
  }
  return { name: playlist.name, items: items.length, plan: plan.kind, writeCalls: plan.calls };
}
