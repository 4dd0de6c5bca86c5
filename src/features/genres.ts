import type Keyv from 'keyv';
import type { BackgroundGenreSources } from '../app/genres/resolveInBackground.js';
import { GENRE_LOOKUP_CAPS, type GenreSources } from '../app/genres/resolveArtistGenres.js';
import { lastfmArtistGenres, type LastfmClient } from '../lastfm/index.js';
import { listenBrainzArtistGenres, type ListenBrainzClient } from '../listenbrainz/index.js';
import type { MusicBrainzClient } from '../musicbrainz/index.js';
import type { SpotifyGateway, SpotifyUserClient } from '../spotify/index.js';
import type { Store } from '../store/index.js';

/** The keyv namespace of artists MusicBrainz did not know (kept GENRE_LOOKUP_CAPS.musicbrainzMissTtlMs). */
export const MUSICBRAINZ_MISSES_NAMESPACE = 'musicbrainz-misses';

/** The genre resolver's sources for one member's Spotify client: the chain every feature uses. */
export function genreSourcesFor(
  client: SpotifyUserClient,
  gateway: SpotifyGateway,
  musicbrainz?: MusicBrainzClient,
): GenreSources {
  return {
    cacheThenSpotify: (ids, onProgress) => client.genresForArtists(ids, onProgress),
    musicbrainz: musicbrainz?.isConfigured
      ? async (name) => (await musicbrainz.genresByArtistName(name))?.genres
      : undefined,
    remember: (found) => gateway.rememberGenres([...found]),
  };
}

/**
 * The background resolver's sources: the shared cache, the remembered misses, the sources that
 * spend no Spotify quota (ListenBrainz's metadata, MusicBrainz by MBID, Spotify link and name,
 * Last.fm's tags) and, when `warmingClient` is given, Spotify at 'warming' priority. Without it (a
 * thrifty /sort) no Spotify request is ever made.
 */
export function backgroundGenreSources(options: {
  store: Store;
  gateway: SpotifyGateway;
  musicbrainz?: MusicBrainzClient;
  listenbrainz?: ListenBrainzClient | undefined;
  lastfm?: LastfmClient | undefined;
  warmingClient?: SpotifyUserClient;
}): BackgroundGenreSources {
  const { store, gateway, musicbrainz } = options;
  const misses: Keyv<number> = store.namespace<number>(MUSICBRAINZ_MISSES_NAMESPACE);
  const mb = musicbrainz?.isConfigured ? musicbrainz : undefined;
  const warming = options.warmingClient;
  return {
    cached: (ids) => gateway.cachedGenres(ids),
    async musicbrainzMisses(ids) {
      const unique = [...new Set(ids)];
      const values = unique.length ? await misses.getMany(unique) : [];
      return new Set(unique.filter((_, i) => values[i] !== undefined));
    },
    async rememberMusicBrainzMisses(ids) {
      const at = Date.now();
      await misses.setMany(ids.map((key) => ({ key, value: at, ttl: GENRE_LOOKUP_CAPS.musicbrainzMissTtlMs })));
    },
    musicbrainzBySpotifyId: mb && (async (id) => (await mb.genresBySpotifyArtist(id))?.genres),
    musicbrainzByName: mb && (async (name) => (await mb.genresByArtistName(name))?.genres),
    musicbrainzByMbid: mb && (async (mbid) => (await mb.genresByArtistMbid(mbid))?.genres),
    listenBrainz: options.listenbrainz && ((artists) => listenBrainzArtistGenres(options.listenbrainz!, artists)),
    lastfm: options.lastfm && ((artist) => lastfmArtistGenres(options.lastfm!, artist)),
    remember: (found) => gateway.rememberGenres([...found]),
    spotifyWarming: warming && (async (id) => (await warming.genresForArtists([id])).get(id) ?? []),
  };
}
