import type { Logger } from 'pino';
import type { Job } from './scheduler.js';

/**
 * Once a day, on one instance: keyv rows whose TTL passed are deleted (Postgres must not grow with
 * every token ever issued). `deleteExpired` is the store's sweep, handed in by the feature.
 */
export function sweepExpiredJob(deleteExpired: (now: number) => Promise<number>, log: Logger): Job<unknown> {
  return {
    name: 'sweep-expired',
    schedule: '41 3 * * *',
    timezone: 'UTC',
    async run() {
      // keyv's TTLs are on the wall clock, not the tick's (which the sandbox fast-forwards).
      const deleted = await deleteExpired(Date.now());
      if (deleted) log.info({ deleted }, 'expired keyv rows deleted');
    },
  };
}
