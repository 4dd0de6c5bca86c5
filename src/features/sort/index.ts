import { resumeSortsJob } from '../../jobs/resumeSorts.js';
import { accountsOf, type FeatureFactory } from '../feature.js';
import { createGenreChoiceRepository } from '../../store/genreChoices.js';
import { createSortService } from './sortService.js';
import { createThriftySorts } from './thriftySort.js';

/**
 * Playlist sorting: split previews and runs, reorders, the every-minute job that resumes sorts a
 * restart or Spotify's limits interrupted, and the sort jobs /unlink erases.
 */
export const sortFeature: FeatureFactory = (context) => {
  const { store, gateway, musicbrainz, discord, log, charts } = context;
  const sort = createSortService({ store, gateway, accounts: accountsOf(context), musicbrainz });
  // Large splits may find their genres thriftily on MusicBrainz instead of Spotify's quota: only when it is configured.
  const choices = createGenreChoiceRepository(store);
  const thrifty = musicbrainz.isConfigured
    ? createThriftySorts({ store, gateway, musicbrainz, charts, discord, log, jobs: sort.jobs, choices })
    : undefined;
  if (thrifty) {
    sort.genreChoices = choices;
    sort.startThrifty = (choice) => void thrifty.start(choice);
  }
  return {
    name: 'sort',
    services: { sort },
    jobs: [
      resumeSortsJob({ sort, log, sendDm: discord.sendDm, editOriginalReply: discord.editOriginalReply }),
      ...(thrifty ? [thrifty.resumeJob] : []),
    ],
    personalData: [
      {
        name: 'sort-jobs',
        async erase(id) {
          const n =
            (await sort.jobs.deleteForUser(id)) +
            (await sort.orderJobs.deleteForUser(id)) +
            (await choices.deleteForUser(id));
          return n ? [`${n} sort job${n === 1 ? '' : 's'}`] : [];
        },
      },
    ],
    // Pick up sorts a restart interrupted, without waiting for the next minute.
    started: (jobs) => void jobs.runNow('resume-sorts').catch(() => {}),
    stop: async () => {
      await Promise.all([sort.stop(), thrifty?.stop()]);
    },
  };
};
