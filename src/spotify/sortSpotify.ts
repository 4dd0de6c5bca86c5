import { resolveArtistGenres, type GenreSources } from '../app/genres/resolveArtistGenres.js';
import type { SortSpotify } from '../app/sort/ports.js';
import { UserError } from '../core/errors.js';
import type { PlaylistItemInput } from '../core/sort/index.js';
import { SpotifyApiError } from './errors.js';
import type { SpotifyGateway } from './index.js';
import type { SpotifyUserClient } from './userClient.js';

/**
 * The sorter's port on top of a member's gateway client: one gateway call per port call. Genres
 * come from the one resolver chain (resolveArtistGenres) over `genreSources`, the feature kit's
 * sources for this client (genreSourcesFor), handed in because src/spotify never imports a feature.
 */
export function sortSpotifyFor(
  client: SpotifyUserClient,
  gateway: SpotifyGateway,
  meId: () => Promise<string>,
  genreSources: GenreSources,
): SortSpotify {
  const artistNames = new Map<string, string>();
  /** The last playlist object read, whose embedded first page of items the next read reuses. */
  let lastPlaylist: Awaited<ReturnType<SpotifyUserClient['playlist']>> | undefined;
  const findEarlier: NonNullable<SortSpotify['findEarlier']> = async (names, marker) => {
    const [me, all] = await Promise.all([meId(), client.myPlaylists()]);
    const own = all.filter((p) => p.owner.id === me);
    const wanted = new Set(names);
    const found = await Promise.all(
      own
        .filter((p) => wanted.has(p.name) && (p.description ?? '').includes(marker))
        .map(async (p) => ({
          name: p.name,
          playlistId: p.id,
          uris: (await client.playlistItems(p.id, undefined, p)).map((e) => e.uri),
        })),
    );
    return { found, ownDescriptions: own.map((p) => p.description ?? '') };
  };
  return {
    async playlist(id) {
      // Both at once: the member's id is usually remembered, and when it is not it costs no extra wait.
      const [p, me] = await Promise.all([
        client.playlist(id).catch((error: unknown) => {
          // An id or link of a playlist that doesn't exist (or isn't a valid id) is the member's typo, not our bug.
          if (error instanceof SpotifyApiError && (error.status === 404 || error.status === 400))
            throw new UserError('sort.playlistNotFound');
          throw error;
        }),
        meId(),
      ]);
      lastPlaylist = p;
      return {
        id: p.id,
        name: p.name,
        snapshotId: p.snapshot_id,
        total: p.items?.total ?? p.tracks?.total ?? 0,
        readable: p.owner.id === me || p.collaborative,
      };
    },
    async playlistItems(id, onProgress) {
      const entries = await client.playlistItems(id, onProgress, lastPlaylist?.id === id ? lastPlaylist : undefined);
      for (const e of entries) for (const a of e.artists) if (a.id) artistNames.set(a.id, a.name);
      return entries.map((e): PlaylistItemInput => ({
        uri: e.uri,
        type: e.type,
        isLocal: e.isLocal,
        artistIds: e.artists.map((a) => a.id).filter((a): a is string => !!a),
        addedAt: e.addedAt,
        releaseDate: e.releaseDate,
        name: e.name,
        artistName: e.artists[0]?.name,
      }));
    },
    cachedArtistIds: (ids) => gateway.knownArtists(ids),
    learnArtistNames(items) {
      for (const item of items)
        if (item.artistIds[0] && item.artistName && !artistNames.has(item.artistIds[0]))
          artistNames.set(item.artistIds[0], item.artistName);
    },
    genresForArtists: (ids, onProgress) =>
      resolveArtistGenres(
        ids.map((id) => ({ id, name: artistNames.get(id) })),
        genreSources,
        { onProgress },
      ),
    async createPrivatePlaylist(name, description) {
      return (await client.createPlaylist(name, description)).id;
    },
    async earlierPlaylists(names, marker) {
      return (await findEarlier(names, marker)).found;
    },
    findEarlier,
    appendItems: (playlistId, uris) => client.addItems(playlistId, uris),
    async countItems(playlistId) {
      const p = await client.playlist(playlistId);
      return p.items?.total ?? p.tracks?.total ?? 0;
    },
    reorder: (playlistId, op, snapshotId) =>
      client.reorderItems(playlistId, {
        rangeStart: op.range_start,
        insertBefore: op.insert_before,
        rangeLength: op.range_length,
        snapshotId,
      }),
    replaceItems: (playlistId, uris) => client.replaceItems(playlistId, uris),
    remainingBudget: () => gateway.budget.remaining(client.priority),
  };
}
