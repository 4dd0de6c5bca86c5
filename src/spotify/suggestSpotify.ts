import type Keyv from 'keyv';
import type { SuggestAlbum, SuggestSpotify } from '../app/suggest/engine.js';
import type { CandidateTrack } from '../core/suggest/index.js';
import type { SpotifyGateway } from './index.js';
import type { KeyvNamespaces, Track } from './types.js';
import type { SpotifyUserClient } from './userClient.js';

const HOUR = 3_600_000;
/** How long each Spotify answer the suggestions reuse stays good: catalogue facts change slowly, searches faster. */
export const SUGGEST_CACHE_TTL = {
  latestAlbums: 3 * 24 * HOUR,
  albumTracks: 30 * 24 * HOUR,
  searchGenre: 24 * HOUR,
  newAlbumsOf: 12 * HOUR,
  /** A member's library answers, kept in memory only (personal, and they change): an hour. */
  saved: HOUR,
} as const;

type CachedCall = 'latestAlbums' | 'albumTracks' | 'searchGenre' | 'newAlbumsOf';

type RawTrack = Pick<Track, 'id' | 'uri' | 'name' | 'artists'> & { album?: { name: string } | null };

/** Playable catalogue tracks only: a local file or a track Spotify lost has no id to suggest. */
const candidatesOf = (tracks: readonly RawTrack[], albumName?: string): CandidateTrack[] =>
  tracks.flatMap((t) =>
    t.id
      ? [
          {
            trackId: t.id,
            uri: t.uri,
            name: t.name,
            artists: (t.artists ?? []).flatMap((a) => (a.id ? [{ id: a.id, name: a.name }] : [])),
            albumName: albumName ?? t.album?.name,
          },
        ]
      : [],
  );

/**
 * The suggestion engine's Spotify (src/app/suggest/engine.ts) for any member: shared keyv caches of
 * the catalogue answers (an artist's albums, an album's tracks, a genre search, a tag:new search)
 * and an in-memory cache of each member's library answers. Build one per process; `forMember`
 * per /suggest, which counts the requests that answer sent.
 */
export function createSuggestSpotify(
  store: KeyvNamespaces,
  gateway: SpotifyGateway,
  now: () => number = Date.now,
): {
  forMember(memberId: string, client: SpotifyUserClient): SuggestSpotify;
  /** /unlink: drops the member's library answers kept in memory. */
  forget(memberId: string): void;
} {
  const caches: Record<CachedCall, Keyv<unknown>> = {
    latestAlbums: store.namespace('suggest-artist-albums'),
    albumTracks: store.namespace('suggest-album-tracks'),
    searchGenre: store.namespace('suggest-genre-search'),
    newAlbumsOf: store.namespace('suggest-new-albums'),
  };
  const saved = new Map<string, { saved: boolean; until: number }>();
  const keyOf = (call: CachedCall, key: string) =>
    call === 'newAlbumsOf' || call === 'searchGenre' ? key.toLowerCase() : key;

  return {
    forget(memberId) {
      for (const key of saved.keys()) if (key.startsWith(`${memberId}:`)) saved.delete(key);
    },
    forMember(memberId, client) {
      let requests = 0;
      const cachedCall = async <T>(
        call: CachedCall,
        key: string,
        fetch: () => Promise<{ value: T; requests: number }>,
      ) => {
        const k = keyOf(call, key);
        const hit = (await caches[call].get(k)) as T | undefined;
        if (hit !== undefined) return hit;
        const { value, requests: sent } = await fetch();
        requests += sent;
        await caches[call].set(k, value, SUGGEST_CACHE_TTL[call]);
        return value;
      };
      const savedKey = (trackId: string) => `${memberId}:${trackId}`;
      const knownSaved = (trackId: string) => {
        const entry = saved.get(savedKey(trackId));
        return entry && entry.until > now() ? entry : undefined;
      };
      const toAlbum = (a: {
        id: string;
        name: string;
        release_date: string;
        artists?: Array<{ id: string; name: string }>;
      }): SuggestAlbum => ({
        id: a.id,
        name: a.name,
        releaseDate: a.release_date,
        artists: (a.artists ?? []).map((x) => ({ id: x.id, name: x.name })),
      });
      return {
        async topArtists() {
          requests++;
          return (await client.topArtists('short_term', 50)).map((a) => ({
            id: a.id,
            name: a.name,
            genres: a.genres ?? [],
          }));
        },
        latestAlbums: (artistId) =>
          cachedCall('latestAlbums', artistId, async () => ({
            value: (await client.latestAlbums(artistId, 10)).map(toAlbum),
            requests: 1,
          })),
        albumTracks: (album) =>
          cachedCall('albumTracks', album.id, async () => {
            const tracks = await client.albumTracks(album.id);
            return {
              value: candidatesOf(tracks, album.name),
              requests: Math.max(1, Math.ceil(tracks.length / 50)),
            };
          }),
        searchGenre: (genre) =>
          cachedCall('searchGenre', genre, async () => {
            const r = await client.search(`genre:"${genre.replace(/"/g, '')}"`, ['track'], 10);
            return { value: candidatesOf(r.tracks?.items ?? []), requests: 1 };
          }),
        newAlbumsOf: (artistName) =>
          cachedCall('newAlbumsOf', artistName, async () => {
            const r = await client.search(`tag:new artist:"${artistName.replace(/"/g, '')}"`, ['album'], 10);
            return { value: (r.albums?.items ?? []).map(toAlbum), requests: 1 };
          }),
        async savedAmong(trackIds) {
          const unknown = [...new Set(trackIds)].filter((id) => !knownSaved(id));
          for (let i = 0; i < unknown.length; i += 40) {
            const batch = unknown.slice(i, i + 40);
            requests++;
            const answers = await client.libraryContains(batch.map((id) => `spotify:track:${id}`));
            batch.forEach((id, k) =>
              saved.set(savedKey(id), { saved: answers[k] === true, until: now() + SUGGEST_CACHE_TTL.saved }),
            );
          }
          if (saved.size > 50_000) for (const [k, v] of saved) if (v.until <= now()) saved.delete(k);
          return new Set(trackIds.filter((id) => knownSaved(id)?.saved));
        },
        knownGenres: (artistIds) => gateway.cachedGenres(artistIds),
        async cached(call, key) {
          return (await caches[call].get(keyOf(call, key))) !== undefined;
        },
        async unknownSaved(trackIds) {
          return new Set(trackIds.filter((id) => !knownSaved(id))).size;
        },
        requests: () => requests,
        remainingBudget: () => gateway.budget.remaining(client.priority),
      };
    },
  };
}
