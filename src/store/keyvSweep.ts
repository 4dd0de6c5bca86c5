import type pg from 'pg';
import { KEYV_TABLE } from './schema.js';

/**
 * Deletes keyv rows whose TTL passed before `now`, a batch at a time, and returns how many went.
 * keyv forgets an expired value only when someone reads it: one-time link and upload tokens,
 * finished previews and cached catalogue answers nobody asks for again would otherwise stay in
 * Postgres for ever. keyv stores `{"value":…,"expires":<ms>}`; a row without a TTL has no
 * "expires" and is never touched.
 */
export async function sweepExpiredKeyv(pool: pg.Pool, now: number, batch = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM ${KEYV_TABLE} WHERE key IN (
         SELECT key FROM ${KEYV_TABLE}
         WHERE value LIKE '%"expires":%' AND substring(value FROM '"expires":([0-9]+)}$')::bigint < $1
         LIMIT $2)`,
      [now, batch],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return deleted;
  }
}
