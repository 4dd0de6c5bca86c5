import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { createSpotifyGateway, type Priority, type SpotifyGateway } from '../../src/spotify/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createSharedRateLimit } from '../../src/store/sharedRateLimit.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { memoryTokens } from '../spotify/setup.js';
import { perSecond, settlingClock } from '../spotify/sharedRateClock.js';

/**
 * Two Encore processes' Spotify gateways, each on its own pool of one Postgres, against one Spotify
 * emulator, on one manual clock. Spotify's rate limit belongs to the app, so what the emulator
 * receives from both together is what must stay within the configured rate.
 */

const RATE = 20;
const T0 = Date.parse('2027-05-03T09:00:00Z');
const WINDOW_S = 10;

let db: TestDatabase;
const stores: Store[] = [];
const emulators: SpotifyEmulator[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const emulator of emulators) await emulator.close();
  for (const store of stores) await store.close();
  await db?.drop();
});

/** Two gateways (two processes of one app) serving two members each, sharing the rate or not. */
async function twoProcesses(shared: boolean) {
  const clock = settlingClock(T0);
  const emulator = await startSpotifyEmulator({ now: clock.now });
  emulators.push(emulator);
  const gateway = async (): Promise<SpotifyGateway> => {
    const store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log: captureLogger('silent').log });
    stores.push(store);
    clock.trackPool(store.pool);
    return createSpotifyGateway({
      apiUrl: emulator.apiUrl,
      accountsUrl: emulator.accountsUrl,
      clientId: 'test-client',
      clientSecret: 'test-secret',
      store,
      log: captureLogger('silent').log,
      fetch: clock.fetch,
      now: clock.now,
      setTimer: clock.setTimer,
      sleep: (ms) => new Promise((resolve) => clock.setTimer(resolve, ms)),
      perSecond: RATE,
      concurrency: 6,
      dailyBudget: 1_000_000,
      ...(shared ? { sharedRate: createSharedRateLimit(store.pool) } : {}),
    });
  };
  const processes = { a: await gateway(), b: await gateway() };
  const trackIds = [...emulator.world.tracks.keys()];
  /** A member's job: `n` track lookups, all asked at once, as a sort or a chart would. */
  const job = (process: SpotifyGateway, member: string, n: number, priority: Priority) => {
    const client = process.forUser(memoryTokens(emulator.issueTokens(member, 'test-client')), { priority });
    return trackIds.slice(0, n).map((id) => client.track(id));
  };
  const work = [
    ...job(processes.a, 'alice', 150, 'interactive'),
    ...job(processes.a, 'bob', 100, 'background'),
    ...job(processes.b, 'carol', 150, 'interactive'),
    ...job(processes.b, 'dave', 100, 'background'),
  ];
  await clock.advance(WINDOW_S * 1000);
  const inWindow = emulator.requests.filter((r) => r.path.startsWith('/tracks/') && r.at < T0 + WINDOW_S * 1000);
  const counts = perSecond(
    inWindow.map((r) => r.at),
    T0,
  );
  const finish = async () => {
    await clock.advance(120_000);
    return Promise.all(work);
  };
  return { counts, inWindow, finish };
}

describe('two processes of one app against one Spotify', () => {
  it('send together at most the configured rate, each serving its members a fair share', async () => {
    const { counts, inWindow, finish } = await twoProcesses(true);
    expect(counts).toHaveLength(WINDOW_S);
    for (const n of counts) expect(n).toBeLessThanOrEqual(RATE);
    expect(inWindow.length).toBeGreaterThanOrEqual(0.95 * RATE * WINDOW_S);
    const fromA = inWindow.filter((r) => r.userId === 'alice' || r.userId === 'bob').length;
    expect(fromA / inWindow.length).toBeGreaterThanOrEqual(0.4);
    expect(fromA / inWindow.length).toBeLessThanOrEqual(0.6);
    const tracks = await finish();
    expect(tracks).toHaveLength(500);
  });

  it('without the shared rate, each process paces alone and together they send twice the rate', async () => {
    const { counts, finish } = await twoProcesses(false);
    expect(Math.max(...counts)).toBe(2 * RATE);
    await finish();
  });
});
