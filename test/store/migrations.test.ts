import { readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { createNamespace } from '../../src/store/keyvNamespace.js';
import { MIGRATIONS_TABLE } from '../../src/store/migrate.js';
import { createPool } from '../../src/store/pool.js';
import { ensureSchema } from '../../src/store/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';

const HISTORY_TABLES = [
  'plays',
  'tracks',
  'artists',
  'albums',
  'track_artists',
  'member_daily',
  'member_daily_artists',
  'member_daily_genres',
  'collector_state',
  'history_gaps',
];
/** Every migration of this release, in the order they apply. */
const MIGRATIONS = readdirSync(path.resolve('src/store/migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => f.replace(/\.sql$/, ''));
const databases: TestDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
const freshDatabase = async () => {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
};
const tablesOf = async (store: {
  pool: { query: (sql: string) => Promise<{ rows: Array<{ table_name: string }> }> };
}) =>
  (await store.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map(
    (r) => r.table_name,
  );

describe('versioned migrations at start-up', () => {
  it('upgrades a database the previous release created (keyv, claims, leases, no migrations) and keeps its data', async () => {
    const db = await freshDatabase();
    const { log } = captureLogger('silent');
    // The previous release: ensureSchema only, then keyv rows, a claim and a lease written by it.
    const old = createPool(db.url, log, 2);
    await ensureSchema(old);
    const links = createNamespace<{ discordUserId: string; status: string }>(old, 'links', log);
    await links.set('111', { discordUserId: '111', status: 'active' });
    await createNamespace<string[]>(old, 'artist-genres', log).set('artist1', ['indie rock']);
    await old.query(`INSERT INTO encore_claims (kind, id, owner, claimed_at) VALUES ('job:x', 't1', 'old', 1)`);
    await old.query(`INSERT INTO encore_leases (kind, id, owner, expires_at) VALUES ('sort', '111:p', 'old', 99)`);
    const before = (await old.query(`SELECT key, value FROM keyv ORDER BY key`)).rows;
    await old.end();
    expect(before).toHaveLength(2);

    const store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log });
    try {
      expect(await tablesOf(store)).toEqual(
        expect.arrayContaining([...HISTORY_TABLES, MIGRATIONS_TABLE, 'keyv', 'encore_claims', 'encore_leases']),
      );
      const applied = (
        await store.pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)
      ).rows.map((r) => r.name);
      expect(applied).toEqual(MIGRATIONS);
      expect(applied).toContain('0002_member-settings');
      expect((await store.pool.query(`SELECT key, value FROM keyv ORDER BY key`)).rows).toEqual(before);
      expect(await store.namespace<{ status: string }>('links').get('111')).toEqual({
        discordUserId: '111',
        status: 'active',
      });
      expect(await store.namespace<string[]>('artist-genres').get('artist1')).toEqual(['indie rock']);
      expect((await store.pool.query(`SELECT owner FROM encore_claims`)).rows).toEqual([{ owner: 'old' }]);
      expect(await store.leases.acquire('sort', '111:p', 'new', 1_000, 50)).toBe(false); // the old lease still holds
    } finally {
      await store.close();
    }
  });

  it('applies nothing twice: a restart finds the schema current', async () => {
    const db = await freshDatabase();
    const { log, lines } = captureLogger('info');
    const first = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log });
    await first.pool.query(`INSERT INTO artists (id, name) VALUES ('a', 'A')`);
    await first.close();
    const second = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log });
    try {
      expect((await second.pool.query(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`)).rows[0]).toEqual({
        n: MIGRATIONS.length,
      });
      expect((await second.pool.query(`SELECT name FROM artists`)).rows).toEqual([{ name: 'A' }]);
      expect(lines().filter((l) => l.msg === 'database migrated')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('lets two instances start on one empty database at once: one migrates, the other waits', async () => {
    const db = await freshDatabase();
    const { log } = captureLogger('silent');
    const [a, b] = await Promise.all([
      openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log }),
      openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log }),
    ]);
    try {
      expect((await a.pool.query(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`)).rows[0]).toEqual({
        n: MIGRATIONS.length,
      });
      expect(await tablesOf(b)).toEqual(expect.arrayContaining(HISTORY_TABLES));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('migrates the embedded store too (no DATABASE_URL)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'encore-migrate-'));
    await chmod(dir, 0o755);
    dirs.push(dir);
    const store = await openStore({ dataDir: dir, log: captureLogger('silent').log });
    try {
      expect(store.kind).toBe('embedded');
      expect(await tablesOf(store)).toEqual(expect.arrayContaining([...HISTORY_TABLES, MIGRATIONS_TABLE]));
    } finally {
      await store.close();
    }
  });
});
