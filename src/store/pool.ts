import pg from 'pg';
import type { Logger } from 'pino';

/**
 * The one pool the whole app shares. Its error handler matters: pg emits 'error' on an idle
 * client whose connection died (Postgres restarted, pg_terminate_backend), and an unhandled
 * 'error' event would crash the process.
 */
export function createPool(connectionString: string, log: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Waiting for a free connection counts too: a burst on a busy machine should wait, not fail.
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
    application_name: 'encore',
  });
  pool.on('error', (error) => {
    log.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'idle Postgres connection lost; the pool will reconnect',
    );
  });
  return pool;
}

/** Runs `work` on one client inside BEGIN … COMMIT, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
