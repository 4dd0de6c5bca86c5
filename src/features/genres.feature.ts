import { resolveArtistGenres } from '../app/genres/resolveArtistGenres.js';
import { accountsOf, type FeatureFactory } from './feature.js';
import { genreSourcesFor } from './genres.js';

/** The one genre resolver chain for members' requests (/chart; /sort builds it per sort). */
export const genresFeature: FeatureFactory = (context) => {
  const accounts = accountsOf(context);
  return {
    name: 'genres',
    services: {
      genres: {
        async forArtists(discordUserId, artists) {
          const client = await accounts.spotifyFor(discordUserId);
          return resolveArtistGenres(artists, genreSourcesFor(client, context.gateway, context.musicbrainz));
        },
      },
    },
  };
};
