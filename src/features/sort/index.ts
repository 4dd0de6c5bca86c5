import { resumeSortsJob } from '../../jobs/resumeSorts.js';
import { accountsOf, type FeatureFactory } from '../feature.js';
import { createSortService } from './sortService.js';

/**
 * Playlist sorting: split previews and runs, reorders, the every-minute job that resumes sorts a
 * restart or Spotify's limits interrupted, and the sort jobs /unlink erases.
 */
export const sortFeature: FeatureFactory = (context) => {
  const { store, gateway, musicbrainz, discord, log } = context;
  const sort = createSortService({ store, gateway, accounts: accountsOf(context), musicbrainz });
  return {
    name: 'sort',
    services: { sort },
    jobs: [resumeSortsJob({ sort, log, sendDm: discord.sendDm, editOriginalReply: discord.editOriginalReply })],
    personalData: [
      {
        name: 'sort-jobs',
        async erase(id) {
          const n = (await sort.jobs.deleteForUser(id)) + (await sort.orderJobs.deleteForUser(id));
          return n ? [`${n} sort job${n === 1 ? '' : 's'}`] : [];
        },
      },
    ],
    // Pick up sorts a restart interrupted, without waiting for the next minute.
    started: (jobs) => void jobs.runNow('resume-sorts').catch(() => {}),
    stop: () => sort.stop(),
  };
};
