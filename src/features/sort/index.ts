import { sortServiceFrom } from '../../app/sort/index.js';
import { resumeSortsJob } from '../../jobs/resumeSorts.js';
import { accountsOf, type FeatureFactory } from '../feature.js';
import { createGenreChoiceRepository } from '../../store/genreChoices.js';
import { createOrderJobRepository, createSortJobRepository } from '../../store/sortJobs.js';
import { createSortedSourcesRepository } from '../../store/sortedSources.js';
import { createSortRunnerFor } from './sortService.js';
import { createThriftySortsFor } from './thriftySort.js';
import { erased } from '../../app/accounts/personalData.js';

/**
 * Playlist sorting: split previews and runs, reorders, the every-minute job that resumes sorts a
 * restart or Spotify's limits interrupted, and the sort jobs /unlink erases.
 */
export const sortFeature: FeatureFactory = (context) => {
  const { store, gateway, musicbrainz, discord, log, charts, instanceId } = context;
  const jobs = createSortJobRepository(store);
  const orderJobs = createOrderJobRepository(store);
  const sorted = createSortedSourcesRepository(store);
  // Large splits may find their genres thriftily on MusicBrainz instead of Spotify's quota: only when it is configured.
  const choices = createGenreChoiceRepository(store);
  const thrifty = musicbrainz.isConfigured
    ? createThriftySortsFor({ store, gateway, musicbrainz, charts, discord, log, jobs, choices, instanceId })
    : undefined;
  const runner = createSortRunnerFor({
    gateway,
    accounts: accountsOf(context),
    musicbrainz,
    jobs,
    orderJobs,
    sorted,
    thrifty: thrifty && { choices, start: (choice) => void thrifty.start(choice) },
  });
  return {
    name: 'sort',
    services: { sort: sortServiceFrom(runner) },
    jobs: [
      resumeSortsJob({ sort: runner, log, sendDm: discord.sendDm, editOriginalReply: discord.editOriginalReply }),
      ...(thrifty ? [thrifty.resumeJob] : []),
    ],
    personalData: [
      {
        name: 'sort-jobs',
        async erase(id) {
          const n =
            (await jobs.deleteForUser(id)) +
            (await orderJobs.deleteForUser(id)) +
            (await choices.deleteForUser(id)) +
            (await sorted.deleteForUser(id));
          return erased('sort-jobs', n);
        },
      },
    ],
    // Pick up sorts a restart interrupted, without waiting for the next minute.
    started: (jobs) => void jobs.runNow('resume-sorts').catch(() => {}),
    stop: async () => {
      await Promise.all([runner.stop(), thrifty?.stop()]);
    },
  };
};
