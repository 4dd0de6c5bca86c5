import type { GenreSources } from '../app/genres/resolveArtistGenres.js';
import type { MusicBrainzClient } from '../musicbrainz/index.js';
import type { SpotifyGateway, SpotifyUserClient } from '../spotify/index.js';

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
