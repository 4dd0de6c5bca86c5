import { resolveArtistGenres } from '../app/genres/resolveArtistGenres.js';
import { resolveGenresJob } from '../jobs/resolveGenres.js';
import { createArtistCatalogue } from '../store/artistCatalogue.js';
import { accountsOf, type FeatureFactory } from './feature.js';
import { backgroundGenreSources, genreSourcesFor } from './genres.js';

/**
 * The one genre resolver chain for members' requests (/chart; /sort builds it per sort), and the
 * background resolver that fills the shared cache for the history's artists (MusicBrainz first,
 * Spotify only inside the budget's 'warming' share).
 */
export const genresFeature: FeatureFactory = (context) => {
  const accounts = accountsOf(context);
  const { store, gateway, musicbrainz, log } = context;
  let stopping = false;
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
    jobs: [
      resolveGenresJob({
        catalogue: createArtistCatalogue(store.pool),
        log: log.child({ module: 'genres' }),
        stopping: () => stopping,
        async sources() {
          // Spotify's GET /artists/{id} needs a member's token: any active link, at 'warming' priority.
          const link = (await accounts.repo.listLinks()).find((l) => l.status === 'active');
          const warming = link ? await accounts.spotifyFor(link.discordUserId, 'warming') : undefined;
          return backgroundGenreSources({ store, gateway, musicbrainz, warmingClient: warming });
        },
      }),
    ],
    async stop() {
      stopping = true;
    },
  };
};
