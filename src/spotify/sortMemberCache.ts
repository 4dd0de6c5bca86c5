import type { SpotifyUserClient } from './userClient.js';

const PLAYLIST_CACHE_MS = 5 * 60_000;
/** A member relinked to another Spotify account must not keep the old account's id for long. */
const SPOTIFY_ID_CACHE_MS = 60 * 60_000;
/** Members remembered in memory at once, newest kept: the caches must not grow with every member ever seen. */
const CACHED_MEMBERS = 1_000;

/** Sets `key` as the newest entry and forgets the oldest beyond CACHED_MEMBERS. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > CACHED_MEMBERS) cache.delete(cache.keys().next().value!);
}

/**
 * What /sort asks Spotify about a member again and again, kept in memory for a while: their Spotify
 * id (an hour) and the playlists they may sort (five minutes), for the newest CACHED_MEMBERS members.
 */
export function createSortMemberCache(now: () => number = Date.now) {
  const spotifyIds = new Map<string, { at: number; id: string }>();
  const playlistCache = new Map<
    string,
    { at: number; playlists: Array<{ id: string; name: string; total: number }> }
  >();
  const meId = (discordUserId: string, client: SpotifyUserClient) => async () => {
    const known = spotifyIds.get(discordUserId);
    if (known && now() - known.at < SPOTIFY_ID_CACHE_MS) return known.id;
    const id = (await client.me()).id;
    remember(spotifyIds, discordUserId, { at: now(), id });
    return id;
  };
  return {
    /** The member's Spotify id, read on first use. */
    meId,
    /** The member's own and collaborative playlists; `clientFor` is only called when they are not cached. */
    async playlistsFor(discordUserId: string, clientFor: () => Promise<SpotifyUserClient>) {
      const cached = playlistCache.get(discordUserId);
      if (cached && now() - cached.at < PLAYLIST_CACHE_MS) return cached.playlists;
      const client = await clientFor();
      const me = await meId(discordUserId, client)();
      const playlists = (await client.myPlaylists())
        .filter((p) => p.owner.id === me || p.collaborative)
        .map((p) => ({ id: p.id, name: p.name, total: p.items?.total ?? p.tracks?.total ?? 0 }));
      remember(playlistCache, discordUserId, { at: now(), playlists });
      return playlists;
    },
  };
}
