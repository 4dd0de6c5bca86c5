import { UserError } from '../../core/errors.js';
import type { GenreMode } from '../../core/genres/index.js';
import { planOrderChange, targetOrder, type OrderBy, type OrderPlan } from '../../core/sort/index.js';
import type { SortSpotify } from './ports.js';

export interface OrderInput {
  playlistId: string;
  by: OrderBy;
  mode: GenreMode;
  descending?: boolean;
}

export interface OrderResult {
  name: string;
  items: number;
  plan: OrderPlan['kind'] | 'already-sorted';
  writeCalls: number;
}

/**
 * Reorders a playlist in place with the fewest writes the planner finds. Each reorder names the
 * snapshot it was planned against and chains the snapshot Spotify returns; if the playlist changed
 * between reading and writing, nothing is written and the member is asked to try again. Replacing
 * (fewer calls for big reshuffles) is not used for the added-date order, since it would reset
 * every added date, nor when the playlist holds local files, which can't be added back.
 */
export async function orderPlaylist(input: OrderInput, spotify: SortSpotify, onProgress?: (done: number, total: number) => void): Promise<OrderResult> {
  const playlist = await spotify.playlist(input.playlistId);
  if (!playlist.readable) throw new UserError('sort.notYourPlaylist', { name: playlist.name });
  const items = await spotify.playlistItems(playlist.id);
  if (items.length < 2) return { name: playlist.name, items: items.length, plan: 'already-sorted', writeCalls: 0 };

  const artistIds = [...new Set(items.flatMap((i) => (i.type === 'track' && !i.isLocal ? i.artistIds : [])))];
  const artistGenres = input.by === 'genre-artist' ? await spotify.genresForArtists(artistIds) : undefined;
  const target = targetOrder(items, { by: input.by, artistGenres, mode: input.mode, descending: input.descending });
  if (target.every((index, position) => index === position)) return { name: playlist.name, items: items.length, plan: 'already-sorted', writeCalls: 0 };

  const plan = planOrderChange(items.map((i) => i.uri), target, { allowReplace: input.by !== 'added-date' });
  const latest = await spotify.playlist(playlist.id);
  if (latest.snapshotId !== playlist.snapshotId) throw new UserError('sort.playlistChanged', { name: playlist.name });

  let snapshot = latest.snapshotId;
  if (plan.kind === 'reorder') {
    for (const [i, operation] of plan.operations.entries()) {
      snapshot = await spotify.reorder(playlist.id, operation, snapshot);
      onProgress?.(i + 1, plan.operations.length);
    }
  } else {
    const [first = [], ...rest] = plan.batches;
    await spotify.replaceItems(playlist.id, first);
    for (const [i, batch] of rest.entries()) {
      await spotify.appendItems(playlist.id, batch);
      onProgress?.(i + 2, plan.batches.length);
    }
  }
  return { name: playlist.name, items: items.length, plan: plan.kind, writeCalls: plan.calls };
}
