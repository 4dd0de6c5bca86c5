import { postDueDigests } from '../app/digest/digest.js';
import type { DigestDeps } from '../app/digest/ports.js';
import { sendWeeklyWrapped, type WeeklyWrappedDeps } from '../app/digest/weeklyWrapped.js';
import type { Job } from './scheduler.js';

/** Every two minutes: a crashed post is retried (same nonce) while Discord still remembers it. */
export const DIGEST_SCHEDULE = '*/2 * * * *';

/** Posts each server's week once. Every instance runs every tick: the per-(guild, week) lease and outcome decide who posts. */
export function postDigestsJob(deps: DigestDeps): Job<unknown> {
  return {
    name: 'post-digests',
    schedule: DIGEST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await postDueDigests(deps, now.getTime());
    },
  };
}

/** Sends each member's weekly-wrapped DM once, on the same lease-and-ledger terms. */
export function weeklyWrappedJob(deps: WeeklyWrappedDeps): Job<unknown> {
  return {
    name: 'weekly-wrapped',
    schedule: DIGEST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await sendWeeklyWrapped(deps, now.getTime());
    },
  };
}
