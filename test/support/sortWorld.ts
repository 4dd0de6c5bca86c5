import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { EItem } from '../../emulators/spotify/seed.js';

/** What the Spotify emulator holds for sort tests: a playlist's distinct track URIs, the genre playlists a sort made. */
export function sortWorld(spotify: () => SpotifyEmulator, owner: string) {
  const playlists = () => spotify().world.playlists;
  const createdFrom = (name: string) =>
    [...playlists().values()].filter((p) => p.ownerId === owner && p.name.startsWith(`${name} · `));
  return {
    /** The playlist's tracks in order, each once (a sort skips duplicates, local files and episodes). */
    trackUris(playlistId: string) {
      const seen = new Set<string>();
      return playlists()
        .get(playlistId)!
        .items.filter((i): i is Extract<EItem, { kind: 'track' }> => i.kind === 'track')
        .map((i) => `spotify:track:${i.id}`)
        .filter((uri) => !seen.has(uri) && seen.add(uri));
    },
    /** The genre playlists ("<name> · <Genre>") the owner has. */
    createdFrom,
    /** As if the member deleted them in Spotify. */
    deleteCreated(name: string) {
      for (const p of createdFrom(name)) playlists().delete(p.id);
    },
  };
}
