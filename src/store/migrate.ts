import { fileURLToPath } from 'node:url';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
import type pg from 'pg';
import type { Logger } from 'pino';

/** Versioned SQL migrations, applied in file-name order; never edit one that has shipped. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
export const MIGRATIONS_TABLE = 'encore_migrations';

/**
 * Brings the SQL tables up to this release with node-pg-migrate. `baseline` (ensureSchema: the
 * keyv, claim and lease tables, which predate migrations) runs first. Both run under Postgres's
 * advisory lock, so instances starting together on one database migrate once and the others wait
 * (CREATE TABLE IF NOT EXISTS alone races); pending migrations apply in one transaction, so a
 * failure leaves the previous schema whole.
 */
export async function migrate(
  pool: pg.Pool,
  log: Logger,
  baseline?: (db: pg.PoolClient) => Promise<void>,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    // Session advisory locks nest: the runner takes and releases the same lock inside this one.
    await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK_ID]);
    await baseline?.(client);
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      singleTransaction: true,
      advisoryLockMode: 'wait',
      checkOrder: true,
      logger: {
        debug: () => {},
        info: (msg: string) => log.debug({ module: 'migrations' }, msg),
        warn: (msg: string) => log.warn({ module: 'migrations' }, msg),
        error: (msg: string) => log.error({ module: 'migrations' }, msg),
      },
    });
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
    return applied.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATE_LOCK_ID]).catch(() => {});
    client.release();
  }
}
