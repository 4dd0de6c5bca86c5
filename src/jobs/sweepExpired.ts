import type pg from 'pg';
import type { Logger } from 'pino';
import { sweepExpiredKeyv } from '../store/keyvSweep.js';
import type { Job } from './scheduler.js';

/** Once a day, on one instance: keyv rows whose TTL passed are deleted (Postgres must not grow with every token ever issued). */
export function sweepExpiredJob(pool: pg.Pool, log: Logger): Job<unknown> {
  return {
    name: 'sweep-expired',
    schedule: '41 3 * * *',
    timezone: 'UTC',
    async run() {
      // keyv's TTLs are on the wall clock, not the tick's (which the sandbox fast-forwards).
      const deleted = await sweepExpiredKeyv(pool, Date.now());
      if (deleted) log.info({ deleted }, 'expired keyv rows deleted');
    },
  };
}
