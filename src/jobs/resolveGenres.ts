import {
  resolveHistoryGenres,
  type ArtistCatalogue,
  type BackgroundGenreSources,
} from '../app/genres/resolveInBackground.js';
import type { Logger } from '../log.js';
import type { Job } from './scheduler.js';

/**
 * Every hour, on one instance: genres for the history's artists the shared cache does not know,
 * MusicBrainz first (1 request a second), Spotify only inside the budget's 'warming' share. The
 * history's daily recount reclassifies their plays afterwards.
 */
export function resolveGenresJob(deps: {
  catalogue: ArtistCatalogue;
  sources: () => Promise<BackgroundGenreSources>;
  log: Logger;
  /** True once Encore is shutting down: the run stops at its next artist. */
  stopping: () => boolean;
}): Job<unknown> {
  return {
    name: 'resolve-genres',
    schedule: '41 * * * *',
    timezone: 'UTC',
    async run() {
      const run = await resolveHistoryGenres(deps.catalogue, await deps.sources(), { shouldStop: deps.stopping });
      if (run.found.size || run.musicbrainzMisses || run.spotifyRequests)
        deps.log.info(
          {
            fromMusicBrainz: run.fromMusicBrainz,
            fromSpotify: run.fromSpotify,
            musicbrainzMisses: run.musicbrainzMisses,
            spotifyRequests: run.spotifyRequests,
            left: run.left,
            stoppedBy: run.stoppedBy,
          },
          'background genre resolver',
        );
    },
  };
}
