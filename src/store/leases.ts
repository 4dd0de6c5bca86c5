import type pg from 'pg';
import { LEASES_TABLE } from './schema.js';

/**
 * Time-limited ownership of a piece of work (a running sort, a member's collector poll) shared by
 * every process on one Postgres. Unlike a claim, a lease ends: its holder renews it while it
 * works, and when the holder dies the lease expires and another runner may take the work over.
 * Times come from the caller's clock, so tests move a clock instead of waiting.
 */
export interface Leases {
  /** True when `owner` now holds (kind, id) until now + ttl: it was free, expired, or already ours. */
  acquire(kind: string, id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /** Extends a lease `owner` still holds; false when it expired and someone else took it. */
  renew(kind: string, id: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /** Gives a lease up early; a no-op when `owner` no longer holds it. */
  release(kind: string, id: string, owner: string): Promise<void>;
  /** Deletes every lease of `kind` whose id starts with `prefix` (a member's, for /unlink); returns how many. */
  forget(kind: string, prefix: string): Promise<number>;
}

export function createLeases(pool: pg.Pool): Leases {
  return {
    async acquire(kind, id, owner, ttlMs, now) {
      // One statement: a row lock decides between racing runners, with no read-then-write gap.
      const result = await pool.query(
        `INSERT INTO ${LEASES_TABLE} (kind, id, owner, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE ${LEASES_TABLE}.expires_at <= $5 OR ${LEASES_TABLE}.owner = EXCLUDED.owner`,
        [kind, id, owner, now + ttlMs, now],
      );
      return result.rowCount === 1;
    },
    async renew(kind, id, owner, ttlMs, now) {
      const result = await pool.query(
        `UPDATE ${LEASES_TABLE} SET expires_at = $4 WHERE kind = $1 AND id = $2 AND owner = $3`,
        [kind, id, owner, now + ttlMs],
      );
      return result.rowCount === 1;
    },
    async release(kind, id, owner) {
      await pool.query(`DELETE FROM ${LEASES_TABLE} WHERE kind = $1 AND id = $2 AND owner = $3`, [kind, id, owner]);
    },
    async forget(kind, prefix) {
      const result = await pool.query(`DELETE FROM ${LEASES_TABLE} WHERE kind = $1 AND starts_with(id, $2)`, [
        kind,
        prefix,
      ]);
      return result.rowCount ?? 0;
    },
  };
}
