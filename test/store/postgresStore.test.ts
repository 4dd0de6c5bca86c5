import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { waitUntil } from '../support/waitUntil.js';

let db: TestDatabase;
let store: Store;
const { log } = captureLogger('warn');

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log });
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('the Postgres store', () => {
  it('keeps values per namespace without one namespace seeing another', async () => {
    const a = store.namespace<{ n: number }>('alpha');
    const b = store.namespace<{ n: number }>('beta');
    await a.set('k', { n: 1 });
    await b.set('k', { n: 2 });
    expect(await a.get('k')).toEqual({ n: 1 });
    expect(await b.get('k')).toEqual({ n: 2 });
    expect(store.namespace('alpha')).toBe(a);
  });

  it('creates the keyv key column with the C collation so prefix iteration uses the index', async () => {
    const { rows } = await store.pool.query(
      `SELECT collation_name, character_maximum_length FROM information_schema.columns WHERE table_name = 'keyv' AND column_name = 'key'`,
    );
    expect(rows[0]).toEqual({ collation_name: 'C', character_maximum_length: 255 });
  });

  it('iterates exactly one namespace, including names with LIKE wildcards', async () => {
    const ns = store.namespace<number>('it_er%');
    const other = store.namespace<number>('it_erx');
    for (let i = 0; i < 450; i++) await ns.set(`key${i}`, i);
    await other.set('stray', -1);
    const seen: number[] = [];
    for await (const [, value] of ns.iterator!(undefined)) seen.push(value as number);
    expect(seen.length).toBe(450);
    expect(seen).not.toContain(-1);
  });

  it('expires values with a TTL', async () => {
    const ns = store.namespace<string>('ttl');
    // keyv stamps and checks expiry with Date.now(): only Date is faked, so Postgres I/O still runs.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await ns.set('short', 'v', 30);
      vi.setSystemTime(Date.now() + 60);
      expect(await ns.get('short')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets exactly one of many concurrent claimers win a claim', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.claims.claim('digest', 'guild1:2026-W48', `worker${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `worker${results.indexOf(true)}`;
    expect(await store.claims.ownerOf('digest', 'guild1:2026-W48')).toBe(winner);
  });
});

describe('when Postgres connections die', () => {
  it('survives pg_terminate_backend on every connection of the app and works again afterwards', async () => {
    const crashes: unknown[] = [];
    const onCrash = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', onCrash);
    try {
      const ns = store.namespace<string>('survival');
      await Promise.all([ns.set('a', '1'), ns.set('b', '2'), ns.set('c', '3')]); // several idle clients now
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      const dbName = new URL(db.url).pathname.slice(1);
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND application_name = 'encore'`,
        [dbName],
      );
      await admin.end();
      expect(rows.length).toBeGreaterThan(0);
      await waitUntil(() => store.pool.totalCount === 0, 'the pool dropped its terminated clients');
      // The first query may land on a dead client; the one after must succeed.
      await ns.get('a').catch(() => undefined);
      expect(await ns.get('b')).toBe('2');
      await ns.set('d', '4');
      expect(await ns.get('d')).toBe('4');
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onCrash);
    }
  });
});

describe('/healthz across a database outage', () => {
  let proxy: TcpProxy;
  let proxied: Store;
  let server: RunningServer;

  beforeAll(async () => {
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    proxied = await openStore({ databaseUrl: viaProxy.toString(), dataDir: '/nonexistent', log });
    server = await listen(createHttpApp({ log, store: proxied }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close(100);
    await proxied?.close().catch(() => {});
    await proxy?.close();
  });

  const healthz = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; store: { ok: boolean; kind: string } } };
  };

  it('answers 200 while the store is up, 503 while it is unreachable, and 200 again once it is back', async () => {
    const up = await healthz();
    expect(up.status).toBe(200);
    expect(up.body.store).toMatchObject({ ok: true, kind: 'postgres' });

    await proxy.cut();
    await waitUntil(() => proxied.pool.totalCount === 0, 'the pool dropped its cut clients');
    const down = await healthz();
    expect(down.status).toBe(503);
    expect(down.body.store.ok).toBe(false);

    await proxy.restore();
    let back = await healthz();
    for (let i = 0; i < 10 && back.status !== 200; i++) back = await healthz();
    expect(back.status).toBe(200);
    expect(await proxied.namespace<string>('after').set('x', 'y')).toBe(true);
  });

  it('carries a request id on every response, reusing a sane incoming one', async () => {
    const fresh = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await fetch(`http://127.0.0.1:${server.port}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
  });
});
