import Keyv from 'keyv';
import KeyvPostgres from '@keyv/postgres';
import type pg from 'pg';
import type { Logger } from 'pino';
import { KEYV_TABLE } from './schema.js';

/**
 * A keyv adapter that runs on the app's pool. @keyv/postgres otherwise builds a module-global
 * pool with no error handler, and its disconnect() would end a pool other namespaces still use.
 */
function adapterOn(pool: pg.Pool): KeyvPostgres {
  class SharedPoolPostgres extends KeyvPostgres {
    override async connect() {
      return async (sql: string, values?: unknown[]) => (await pool.query(sql, values)).rows;
    }
    override async disconnect() {}
  }
  return new SharedPoolPostgres({ table: KEYV_TABLE, iterationLimit: 200 });
}

/** One keyv per namespace; values are JSON, times epoch ms, Discord ids strings. */
export function createNamespace<T>(pool: pg.Pool, namespace: string, log: Logger): Keyv<T> {
  const keyv = new Keyv<T>({ store: adapterOn(pool), namespace, throwOnErrors: true, useKeyPrefix: true });
  keyv.on('error', (error: unknown) => {
    log.debug({ namespace, err: error instanceof Error ? error.message : String(error) }, 'keyv error');
  });
  return keyv;
}
