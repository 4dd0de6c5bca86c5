import type { Store } from '../index.js';
import { KEYV_TABLE } from '../schema.js';

/**
 * A sliding-window counter per member (the /link rate limit), in keyv's row layout
 * (`ns:<id>`, `{"value":[times…],"expires"}`) so keyv can still read and delete it.
 *
 * Reading the times and writing them back are two statements, so ten requests at once would all
 * see the same "two so far". A transaction-scoped advisory lock on the row's key makes Postgres
 * run one member's admissions one after the other (other members are not held up); the lock is
 * released by COMMIT or ROLLBACK, whatever happens.
 */
export interface RequestWindow {
  admit(
    id: string,
    now: number,
    windowMs: number,
    limit: number,
  ): Promise<{ admitted: true } | { admitted: false; retryAt: number }>;
}

export function requestWindow(store: Store, namespace: string): RequestWindow {
  return {
    async admit(id, now, windowMs, limit) {
      const key = `${namespace}:${id}`;
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
        const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${KEYV_TABLE} WHERE key = $1`, [key]);
        const stored = rows[0] ? (JSON.parse(rows[0].value) as { value?: unknown }).value : [];
        const recent = (Array.isArray(stored) ? stored : []).filter(
          (t): t is number => typeof t === 'number' && t > now - windowMs,
        );
        if (recent.length >= limit) {
          await client.query('COMMIT');
          return { admitted: false, retryAt: Math.min(...recent) + windowMs };
        }
        await client.query(
          `INSERT INTO ${KEYV_TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [key, JSON.stringify({ value: [...recent, now], expires: now + windowMs })],
        );
        await client.query('COMMIT');
        return { admitted: true };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
