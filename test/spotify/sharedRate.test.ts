import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, type PaceOptions } from '../../src/spotify/pacer.js';
import {
  ASK_TIMEOUT_MS,
  MAX_BATCH_SECONDS,
  RETRY_MS,
  SharedStartPermits,
  type SharedRateStore,
} from '../../src/spotify/sharedRate.js';
import type { Priority } from '../../src/spotify/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createSharedRateLimit } from '../../src/store/sharedRateLimit.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { perSecond, settlingClock } from './sharedRateClock.js';

const RATE = 20;
const INTERVAL = 1000 / RATE;
const T0 = Date.parse('2027-04-01T10:00:00Z');

let db: TestDatabase;
let proxy: TcpProxy;
const stores: Store[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
});
afterAll(async () => {
  for (const store of stores) await store.close().catch(() => {});
  await proxy?.close();
  await db?.drop();
});

/** A process's own pool on the test database, through the proxy a test may cut. */
async function processStore(): Promise<Store> {
  const url = new URL(db.url);
  url.port = String(proxy.port);
  const store = await openStore({
    databaseUrl: url.toString(),
    dataDir: '/nonexistent',
    log: captureLogger('silent').log,
  });
  stores.push(store);
  return store;
}

interface Start {
  process: string;
  label: string;
  member: string;
  priority: Priority;
  at: number;
}

/**
 * Processes of one app, each a pacer with shared start permits on its own pool, all on one clock;
 * `bucket` keeps each test's rate apart. Requests take no simulated time.
 */
async function app(bucket: string, options: { concurrency?: number } = {}) {
  const clock = settlingClock(T0);
  const starts: Start[] = [];
  const reserves: Record<string, number> = {};
  const logs = captureLogger('debug');
  const join = async (name: string, port?: (real: SharedRateStore) => SharedRateStore) => {
    const store = await processStore();
    clock.trackPool(store.pool);
    const real = createSharedRateLimit(store.pool);
    const counted: SharedRateStore = {
      reserve: (request) => {
        reserves[name] = (reserves[name] ?? 0) + 1;
        return real.reserve(request);
      },
      pause: (b, until) => real.pause(b, until),
    };
    const permits = new SharedStartPermits(port ? port(counted) : counted, {
      bucket,
      perSecond: RATE,
      now: clock.now,
      setTimer: clock.setTimer,
      log: logs.log.child({ process: name }),
      holder: name,
    });
    const pacer = new Pacer(options.concurrency ?? 6, RATE, clock.now, clock.setTimer, permits);
    const request = (label: string, pace: PaceOptions) =>
      pacer.run(async () => {
        starts.push({ process: name, label, member: pace.member, priority: pace.priority, at: clock.now() });
        return label;
      }, pace);
    const many = (n: number, member: string, priority: Priority = 'interactive') =>
      Array.from({ length: n }, (_, i) => request(`${member}#${i}`, { member, priority }));
    return { name, pacer, permits, request, many };
  };
  return { clock, starts, reserves, logs, join };
}

const gaps = (starts: Start[]) => starts.slice(1).map((s, i) => s.at - starts[i]!.at);

describe('one Spotify rate for every process of the app', () => {
  it('two processes on one Postgres start together at most the rate, each taking a share, members still taking turns', async () => {
    const w = await app('two-busy');
    const [a, b] = [await w.join('a'), await w.join('b')];
    const work = [
      ...a.many(150, 'alice'),
      ...a.many(100, 'bob', 'background'),
      ...b.many(150, 'carol'),
      ...b.many(100, 'dave', 'background'),
    ];
    await w.clock.advance(10_000);

    const counts = perSecond(
      w.starts.filter((s) => s.at < T0 + 10_000).map((s) => s.at),
      T0,
    );
    expect(counts).toHaveLength(10);
    for (const n of counts) expect(n).toBeLessThanOrEqual(RATE);
    // Both busy the whole time: the rate is used, not halved by the sharing.
    expect(counts.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(0.95 * RATE * 10);
    // The two processes' starts interleave on one grid, never closer than the interval.
    expect(Math.min(...gaps(w.starts))).toBeGreaterThanOrEqual(INTERVAL);
    for (const p of ['a', 'b'])
      expect(w.starts.filter((s) => s.process === p).length).toBeGreaterThanOrEqual(0.4 * w.starts.length);
    // Within a process the pacer still decides: background gets its one turn in five.
    const ofA = w.starts.filter((s) => s.process === 'a').slice(0, 50);
    expect(ofA.filter((s) => s.priority === 'background').length).toBeLessThanOrEqual(Math.ceil(50 / 5) + 1);
    // Slots come in batches: a busy process asks Postgres a few times a second, not once a request.
    for (const p of ['a', 'b'])
      expect(w.reserves[p]).toBeLessThanOrEqual(w.starts.filter((s) => s.process === p).length / 3);

    await w.clock.advance(30_000);
    await Promise.all(work);
    expect(w.starts).toHaveLength(500);
  });

  it('a member’s single request in one process waits at most the other process’s batch', async () => {
    const w = await app('one-request');
    const [a, b] = [await w.join('a'), await w.join('b')];
    const job = a.many(1_000, 'alice', 'background');
    await w.clock.advance(2_000);
    expect(w.starts.length).toBeGreaterThanOrEqual(0.95 * RATE * 2);
    const askedAt = w.clock.now();
    const chart = b.request('bob-chart', { member: 'bob', priority: 'interactive' });
    await w.clock.advance(1_000);
    await expect(chart).resolves.toBe('bob-chart');
    const started = w.starts.find((s) => s.label === 'bob-chart')!;
    expect(started.at - askedAt).toBeLessThanOrEqual(MAX_BATCH_SECONDS * 1000 + INTERVAL);
    // The other process's share went to bob's one request, and back to alice's job after it.
    expect(w.starts.filter((s) => s.at >= askedAt && s.at < askedAt + 1_000).length).toBeLessThanOrEqual(RATE);
    await w.clock.advance(60_000);
    await Promise.all(job);
  });

  it('a 429 in one process holds the other until Retry-After, and the other knows until when', async () => {
    const w = await app('pause');
    const [a, b] = [await w.join('a'), await w.join('b')];
    const work = [...a.many(100, 'alice'), ...b.many(100, 'bob')];
    await w.clock.advance(1_000);
    const pausedAt = w.clock.now();
    a.pacer.pauseUntil(pausedAt + 5_000);
    await w.clock.advance(1_000);
    // b learnt of the pause when its next reservation was refused.
    expect(b.pacer.pausedUntilTime).toBe(pausedAt + 5_000);
    await w.clock.advance(5_000);
    const during = w.starts.filter((s) => s.at > pausedAt && s.at < pausedAt + 5_000);
    // Only slots reserved before the pause reached the row went: at most a batch each, b's only as a is paused.
    expect(during.every((s) => s.process === 'b' && s.at <= pausedAt + 2 * MAX_BATCH_SECONDS * 1000)).toBe(true);
    const after = w.starts.filter((s) => s.at >= pausedAt + 5_000);
    expect(after.map((s) => s.process)).toEqual(expect.arrayContaining(['a', 'b']));
    expect(Math.min(...gaps(after))).toBeGreaterThanOrEqual(INTERVAL);
    await w.clock.advance(20_000);
    await Promise.all(work);
  });

  it('when Postgres goes away each process paces alone at its share of the rate, and shares again once it is back', async () => {
    const w = await app('outage');
    const [a, b] = [await w.join('a'), await w.join('b')];
    const work = [...a.many(300, 'alice'), ...b.many(300, 'bob')];
    await w.clock.advance(2_000);
    await proxy.cut();
    const cutAt = w.clock.now();
    await w.clock.advance(RETRY_MS - 1_000);
    expect([a.permits.pacingAlone, b.permits.pacingAlone]).toEqual([true, true]);
    expect(w.logs.lines().filter((l) => /shared Spotify rate unreachable/.test(String(l.msg)))).toHaveLength(2);
    await proxy.restore();
    await w.clock.advance(RETRY_MS + 1_000);
    expect([a.permits.pacingAlone, b.permits.pacingAlone]).toEqual([false, false]);
    const backAt = w.clock.now();
    await w.clock.advance(3_000);

    const counts = perSecond(
      w.starts.map((s) => s.at),
      T0,
    );
    // Traffic never stopped, and alone each process took half the rate (it had seen two sharing it).
    for (const n of counts.slice(0, 12)) expect(n).toBeGreaterThanOrEqual(0.9 * RATE);
    // Over the rate only in the second Postgres went away (one process goes alone while the other still
    // uses the slots it had reserved, at most a batch) and in the one it came back (a start on the
    // local grid next to the first shared one).
    for (const n of counts) expect(n).toBeLessThanOrEqual(RATE + (RATE / 2) * MAX_BATCH_SECONDS);
    expect(counts.filter((n) => n > RATE)).toHaveLength(2);
    const outage = w.starts.filter((s) => s.at >= cutAt + 1_000 && s.at < cutAt + RETRY_MS - 1_000);
    for (const p of ['a', 'b'])
      expect(outage.filter((s) => s.process === p).length).toBe(((RETRY_MS - 2_000) / 1000) * (RATE / 2));
    // Back on the shared grid.
    const shared = w.starts.filter((s) => s.at >= backAt);
    expect(Math.min(...gaps(shared))).toBeGreaterThanOrEqual(INTERVAL);
    await w.clock.advance(60_000);
    await Promise.all(work);
  });

  it('a database that does not answer holds starts no longer than the answer’s timeout', async () => {
    const w = await app('hung');
    let hung = false;
    const a = await w.join('a', (real) => ({
      reserve: (request) => (hung ? new Promise(() => {}) : real.reserve(request)),
      pause: (bucket, until) => real.pause(bucket, until),
    }));
    const work = a.many(100, 'alice');
    await w.clock.advance(1_000);
    hung = true;
    const hungAt = w.clock.now();
    await w.clock.advance(ASK_TIMEOUT_MS + 1_000);
    expect(a.permits.pacingAlone).toBe(true);
    const resumed = w.starts.find((s) => s.at > hungAt + MAX_BATCH_SECONDS * 1000)!;
    expect(resumed.at).toBeLessThanOrEqual(hungAt + MAX_BATCH_SECONDS * 1000 + ASK_TIMEOUT_MS);
    hung = false;
    const more = a.many(100, 'bob');
    await w.clock.advance(30_000);
    await Promise.all([...work, ...more]);
    expect(a.permits.pacingAlone).toBe(false);
  });

  it('a reservation left far ahead by a clock that went back (a fast-forwarded run) does not hold the app', async () => {
    const w = await app('skew');
    const a = await w.join('a');
    const store = stores.at(-1)!;
    await store.pool.query(`INSERT INTO spotify_rate_slots (bucket, next_at) VALUES ('skew', $1)`, [
      T0 + 200 * 86_400_000,
    ]);
    const one = a.request('now', { member: 'alice', priority: 'interactive' });
    await w.clock.advance(100);
    await expect(one).resolves.toBe('now');
    expect(w.starts[0]!.at).toBe(T0);
  });
});
