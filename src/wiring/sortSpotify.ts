import type { SortSpotify } from '../app/sort/ports.js';
import type { PlaylistItemInput } from '../core/sort/index.js';
import type { SpotifyGateway, SpotifyUserClient } from '../spotify/index.js';

/** The sorter's port on top of a member's gateway client: one gateway call per port call. */
export function sortSpotifyFor(client: SpotifyUserClient, gateway: SpotifyGateway, meId: () => Promise<string>): SortSpotify {
  return {
    async playlist(id) {
      const p = await client.playlist(id);
      const me = await meId();
      return { id: p.id, name: p.name, snapshotId: p.snapshot_id, total: p.items?.total ?? p.tracks?.total ?? 0, readable: p.owner.id === me || p.collaborative };
    },
    async playlistItems(id, onProgress) {
      const entries = await client.playlistItems(id, onProgress);
      return entries.map(
        (e): PlaylistItemInput => ({
          uri: e.uri,
          type: e.type,
          isLocal: e.isLocal,
          artistIds: e.artists.map((a) => a.id).filter((a): a is string => !!a),
          addedAt: e.addedAt,
          releaseDate: e.releaseDate,
          name: e.name,
          artistName: e.artists[0]?.name,
        }),
      );
    },
    cachedArtistIds: (ids) => gateway.knownArtists(ids),
    genresForArtists: (ids, onProgress) => client.genresForArtists(ids, onProgress),
    async createPrivatePlaylist(name, description) {
      return (await client.createPlaylist(name, description)).id;
    },
    async findOwnPlaylist(name, marker) {
      const me = await meId();
      return (await client.myPlaylists()).find((p) => p.owner.id === me && p.name === name && (p.description ?? '').includes(marker))?.id;
    },
    async appendItems(playlistId, uris) {
      await client.addItems(playlistId, uris);
    },
    async countItems(playlistId) {
      const p = await client.playlist(playlistId);
      return p.items?.total ?? p.tracks?.total ?? 0;
    },
    reorder: (playlistId, op, snapshotId) => client.reorderItems(playlistId, { rangeStart: op.range_start, insertBefore: op.insert_before, rangeLength: op.range_length, snapshotId }),
    replaceItems: (playlistId, uris) => client.replaceItems(playlistId, uris),
    remainingBudget: () => gateway.budget.remaining(client.priority),
  };
}
