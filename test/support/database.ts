import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Store } from '../../src/store/index.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test Postgres, so test files never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('databaseUrl');
  const name = `encore_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A Store on a fresh database for the current test file: opened before its tests, closed and
 * dropped after. Returns a getter because the store exists only once beforeAll has run.
 */
export function useTestStore(): () => Store {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    const [{ openStore }, { captureLogger }] = await Promise.all([
      import('../../src/store/index.js'),
      import('./logger.js'),
    ]);
    db = await createTestDatabase();
    store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log: captureLogger('silent').log });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });
  return () => {
    if (!store) throw new Error('the test store is opened in beforeAll');
    return store;
  };
}
