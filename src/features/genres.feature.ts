import { resolveArtistGenres } from '../app/genres/resolveArtistGenres.js';
import { resolveGenresJob } from '../jobs/resolveGenres.js';
import { createArtistCatalogue } from '../store/artistCatalogue.js';
import { accountsOf, type FeatureFactory } from './feature.js';
import { backgroundGenreSources, genreSourcesFor } from './genres.js';

/**
 * The one genre resolver chain for members' requests (/chart; /sort builds it per sort), and the
 * background resolver that fills the shared cache for the history's artists (ListenBrainz's
 * metadata, MusicBrainz and Last.fm's tags first, Spotify only inside the budget's 'warming' share).
 */
export const genresFeature: FeatureFactory = (context) => {
  const accounts = accountsOf(context);
  const { store, gateway, musicbrainz, log } = context;
  // Tag sources that spend no Spotify quota: ListenBrainz unless switched off, Last.fm with an API account.
  const { listenbrainz, lastfm } = context.sources;
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
          return backgroundGenreSources({ store, gateway, musicbrainz, listenbrainz, lastfm, warmingClient: warming });
        },
      }),
    ],
    async stop() {
      stopping = true;
    },
  };
};
