import type { MemberPlaylists } from '../app/suggest/answers.js';
import { SpotifyApiError } from './errors.js';
import type { SpotifyUserClient } from './userClient.js';

/** A member's Spotify as playlists use it: 404 or 403 on a write means the playlist is gone or no longer theirs. */
export function memberPlaylists(spotify: SpotifyUserClient): MemberPlaylists {
  return {
    async create(name, description) {
      return (await spotify.createPlaylist(name, description)).id;
    },
    async replace(playlistId, uris) {
      try {
        await spotify.replaceItems(playlistId, uris);
        return 'ok';
      } catch (error) {
        if (error instanceof SpotifyApiError && (error.status === 404 || error.status === 403)) return 'gone';
        throw error;
      }
    },
    async findByMarker(marker) {
      const own = await spotify.myPlaylists();
      return own.find((p) => p.description?.includes(marker))?.id;
    },
  };
}
