import type pg from 'pg';

export const KEYV_TABLE = 'keyv';
export const CLAIMS_TABLE = 'encore_claims';
export const LEASES_TABLE = 'encore_leases';

/**
 * Creates the tables before keyv touches them. COLLATE "C" makes the primary-key index usable
 * for keyv's `key LIKE 'namespace:%'` iteration, so listing a namespace is an index range scan.
 */
export async function ensureSchema(pool: pg.Pool | pg.PoolClient): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ${KEYV_TABLE} (
      key VARCHAR(255) COLLATE "C" PRIMARY KEY,
      value TEXT
    );
    CREATE TABLE IF NOT EXISTS ${CLAIMS_TABLE} (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      owner TEXT NOT NULL,
      claimed_at BIGINT NOT NULL,
      PRIMARY KEY (kind, id)
    );
    CREATE TABLE IF NOT EXISTS ${LEASES_TABLE} (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      owner TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (kind, id)
    );
  `);
}
