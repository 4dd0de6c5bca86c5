import type { SortPlaylistInfo, SortSpotify } from '../../src/app/sort/ports.js';
import { applyReorder, type PlaylistItemInput } from '../../src/core/sort/index.js';

interface Playlist {
  id: string;
  name: string;
  description: string;
  owner: string;
  uris: string[];
  snapshot: number;
  items?: PlaylistItemInput[];
}

/**
 * An in-memory stand-in for one member's Spotify behind the sorter's port, with a switch that
 * makes the process "die" right after a write landed: the shape of failure resumable jobs exist for.
 */
export function fakeSortSpotify(
  source: { id: string; name: string; items: PlaylistItemInput[] },
  genres: Record<string, string[]>,
) {
  const playlists = new Map<string, Playlist>([
    [
      source.id,
      {
        id: source.id,
        name: source.name,
        description: '',
        owner: 'me',
        uris: source.items.map((i) => i.uri),
        snapshot: 1,
        items: source.items,
      },
    ],
  ]);
  const calls: string[] = [];
  let dieAfterWrite = -1;
  let writes = 0;
  let nextId = 1;
  const wrote = () => {
    writes++;
    if (writes === dieAfterWrite) throw new Error('process died after the write landed');
  };
  const spotify: SortSpotify = {
    async playlist(id): Promise<SortPlaylistInfo> {
      calls.push('playlist');
      const p = playlists.get(id)!;
      return { id, name: p.name, snapshotId: `s${p.snapshot}`, total: p.uris.length, readable: p.owner === 'me' };
    },
    async playlistItems(id) {
      calls.push('items');
      return playlists.get(id)!.items ?? [];
    },
    async cachedArtistIds() {
      return new Set();
    },
    async genresForArtists(ids) {
      calls.push(`genres:${ids.length}`);
      return new Map(ids.map((id) => [id, genres[id] ?? []]));
    },
    async createPrivatePlaylist(name, description) {
      calls.push('create');
      const id = `new${nextId++}`;
      playlists.set(id, { id, name, description, owner: 'me', uris: [], snapshot: 1 });
      wrote();
      return id;
    },
    async earlierPlaylists(names, marker) {
      calls.push('find');
      return [...playlists.values()]
        .filter((p) => names.includes(p.name) && p.description.includes(marker))
        .map((p) => ({ name: p.name, playlistId: p.id, uris: [...p.uris] }));
    },
    async appendItems(id, uris) {
      calls.push('add');
      const p = playlists.get(id)!;
      p.uris.push(...uris);
      p.snapshot++;
      wrote();
      return `s${p.snapshot}`;
    },
    async countItems(id) {
      calls.push('count');
      return playlists.get(id)!.uris.length;
    },
    async reorder(id, operation) {
      calls.push('reorder');
      const p = playlists.get(id)!;
      p.uris = applyReorder(p.uris, operation);
      if (p.items) p.items = applyReorder(p.items, operation);
      p.snapshot++;
      wrote();
      return `s${p.snapshot}`;
    },
    async replaceItems(id, uris) {
      calls.push('replace');
      const p = playlists.get(id)!;
      p.uris = [...uris];
      p.snapshot++;
      wrote();
      return `s${p.snapshot}`;
    },
    async remainingBudget() {
      return 1000;
    },
  };
  return {
    spotify,
    calls,
    uris: (id: string) => [...playlists.get(id)!.uris],
    created: () =>
      [...playlists.values()].filter((p) => p.id !== source.id).map((p) => ({ name: p.name, uris: p.uris })),
    dieAfterWrite(n: number) {
      dieAfterWrite = writes + n;
    },
  };
}
