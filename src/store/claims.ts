import type pg from 'pg';
import { CLAIMS_TABLE } from './schema.js';

/**
 * Rows that several processes may race to write (a cron run, "digest sent for week W").
 * The first INSERT wins; every other writer learns it lost, without a read-then-write race.
 */
export interface Claims {
  /** True when this caller won the claim on (kind, id). */
  claim(kind: string, id: string, owner: string, now?: number): Promise<boolean>;
  /** The owner of a claim, if any. */
  ownerOf(kind: string, id: string): Promise<string | undefined>;
  release(kind: string, id: string): Promise<void>;
}

export function createClaims(pool: pg.Pool): Claims {
  return {
    async claim(kind, id, owner, now = Date.now()) {
      const result = await pool.query(
        `INSERT INTO ${CLAIMS_TABLE} (kind, id, owner, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [kind, id, owner, now],
      );
      return result.rowCount === 1;
    },
    async ownerOf(kind, id) {
      const result = await pool.query<{ owner: string }>(
        `SELECT owner FROM ${CLAIMS_TABLE} WHERE kind = $1 AND id = $2`,
        [kind, id],
      );
      return result.rows[0]?.owner;
    },
    async release(kind, id) {
      await pool.query(`DELETE FROM ${CLAIMS_TABLE} WHERE kind = $1 AND id = $2`, [kind, id]);
    },
  };
}
