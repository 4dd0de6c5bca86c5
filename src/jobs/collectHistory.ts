import { collectDue, type CollectorDeps } from '../app/history/index.js';
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
