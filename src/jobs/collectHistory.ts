import { collectDue, reclassifyHistory, type CollectorDeps } from '../app/history/index.js';
import type { Job } from './scheduler.js';

/**
 * Listening history: every minute, poll the members whose next poll is due (each has its own
 * adaptive cadence, persisted). Not claimed per tick: several instances may all run it, and the
 * per-member lease decides who polls whom.
 */
export function collectHistoryJob(deps: CollectorDeps): Job<unknown> {
  return {
    name: 'collect-history',
    schedule: '* * * * *',
    once: false,
    async run(_shared, now) {
      await collectDue(deps, now.getTime());
    },
  };
}

/** Once a day, on one instance: genre rollups recounted where the genre cache has learned artists since. */
export function reclassifyHistoryJob(deps: CollectorDeps): Job<unknown> {
  return {
    name: 'reclassify-history',
    schedule: '17 4 * * *',
    timezone: 'UTC',
    async run() {
      // Every member with such plays, whatever brought them in: Spotify, an import, ListenBrainz or Last.fm.
      const { members, plays } = await reclassifyHistory({
        ...deps,
        activeMembers: () => deps.repo.unclassifiedMembers(),
      });
      if (members) deps.log.info({ members, plays }, 'genre rollups recounted from the genre cache');
    },
  };
}
