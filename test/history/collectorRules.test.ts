import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CADENCE } from '../../src/core/history/index.js';
import { ARTIST_GENRES_NAMESPACE } from '../../src/spotify/genreCache.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { aKey } from '../linking/factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { linkMembers, simulatedClock, startCollectorInstance, type CollectorInstance } from './collectorWorld.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 17, 20); // a Tuesday evening
const RECENT = '/me/player/recently-played';

let db: TestDatabase;
let emulator: SpotifyEmulator;
const clock = simulatedClock(T0);
const key = aKey();
const captured = captureLogger('info');
const instances: CollectorInstance[] = [];
const start = async (name: string) => {
  const instance = await startCollectorInstance({
    name,
    databaseUrl: db.url,
    emulator,
    clock,
    encryptionKey: key,
    log: captured.log,
  });
  instances.push(instance);
  return instance;
};
const tick = async (instance: CollectorInstance, at: number) => {
  clock.set(at);
  await instance.tick(at);
};
const requestsOf = (user: string, from = 0) => emulator.requests.filter((r) => r.userId === user && r.at >= from);

beforeAll(async () => {
  db = await createTestDatabase();
  // erin never listens here: the idle listener.
  emulator = await startSpotifyEmulator({ now: clock.at, listening: { erin: { hoursPerDay: 0 } } });
});
afterAll(async () => {
  for (const instance of instances) await instance.stop().catch(() => {});
  await emulator?.close();
  await db?.drop();
});

describe('the collector’s rules', () => {
  it('takes genres from the shared cache only: cached artists count for their parent genre, the rest as unclassified, no artist request', async () => {
    const a = await start('genres');
    const ids = await linkMembers(a, emulator, ['alice'], T0 - DAY);
    // Cache genres for the artists of half of alice's recent plays, as the warm-up would.
    const recent = emulator.listening.recent('alice', T0, 50);
    const known = [...new Set(recent.slice(0, 25).map((p) => emulator.world.tracks.get(p.trackId)!.artistIds[0]!))];
    await a.store
      .namespace<string[]>(ARTIST_GENRES_NAMESPACE)
      .setMany(known.map((id) => ({ key: id, value: ['deep house'] })));
    await tick(a, T0);
    const { rows } = await a.store.pool.query<{ genre: string; plays: number }>(
      `SELECT genre, sum(plays)::int AS plays FROM member_daily_genres WHERE member_id = $1 GROUP BY genre ORDER BY genre`,
      [ids.get('alice')],
    );
    expect(rows.map((r) => r.genre)).toEqual(['electronic', 'unclassified']);
    expect(rows.reduce((n, r) => n + r.plays, 0)).toBe(50);
    expect(requestsOf('alice').map((r) => r.path)).toEqual([RECENT]);
  });

  it('picks the cadence up where it stopped after a restart: nothing is polled before it is due', async () => {
    const before = requestsOf('alice').length;
    const b = await start('restarted');
    const memberId = (await b.accounts.repo.listLinks())[0]!.discordUserId;
    const due = (await b.history.service.repo.collectorStates([memberId])).get(memberId)!.nextPollAt;
    expect(due - T0).toBe(CADENCE.busyMs); // the first page was full (50 plays)
    for (let at = T0 + MIN; at < due; at += MIN) await tick(b, at);
    expect(requestsOf('alice')).toHaveLength(before);
    await tick(b, due);
    expect(requestsOf('alice')).toHaveLength(before + 1);
  });

  it('polls an idle listener every 2 hours once nothing was played for a day', async () => {
    const c = await start('idle');
    await linkMembers(c, emulator, ['erin'], T0 - DAY);
    for (let at = T0; at < T0 + DAY; at += 5 * MIN) await tick(c, at);
    const polls = requestsOf('erin').filter((r) => r.path === RECENT);
    expect(polls.length).toBe(Math.ceil(DAY / CADENCE.idleMs));
    expect(polls[1]!.at - polls[0]!.at).toBe(CADENCE.idleMs);
  });

  it('stops polling a member whose link Spotify ended (invalid_grant), with one info line and no error storm', async () => {
    const d = await start('relink');
    const ids = await linkMembers(d, emulator, ['carol'], T0 - DAY);
    const carol = ids.get('carol')!;
    await d.accounts.repo.saveTokens(carol, {
      accessToken: 'expired',
      refreshToken: 'revoked-by-spotify',
      expiresAt: T0 - HOUR,
      scope: 'user-read-recently-played',
    });
    const from = T0 + 2 * DAY;
    const linesBefore = captured.lines().length;
    for (let at = from; at < from + 6 * HOUR; at += 5 * MIN) await tick(d, at);
    expect((await d.accounts.repo.getLink(carol))?.status).toBe('dead');
    expect(requestsOf('carol', from)).toEqual([]); // the refresh failed before any API request
    const lines = captured
      .lines()
      .slice(linesBefore)
      .filter((l) => l.memberId === carol);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'Spotify ended the link: history collection paused until the member links again'],
    ]);
  });

  it('waits out Spotify’s quota: no poll until the time Spotify gave, then it carries on', async () => {
    const e = await start('quota');
    const ids = await linkMembers(e, emulator, ['dave'], T0 - DAY);
    const dave = ids.get('dave')!;
    const from = T0 + 3 * DAY;
    const sent = () => emulator.requests.filter((r) => r.at >= from);
    emulator.control.quota.limit = emulator.control.quota.used; // the next request answers QUOTA_EXCEEDED
    emulator.control.quota.retryAfterSec = 3 * 3600;
    await tick(e, from);
    // The polls already on their way when the first answer came met the quota too; then the
    // breaker kept every other member's poll home.
    const met = sent().length;
    expect(met).toBeGreaterThanOrEqual(1);
    expect(sent().every((r) => r.status === 429)).toBe(true);
    const state = (await e.history.service.repo.collectorStates([dave])).get(dave)!;
    expect(state.nextPollAt).toBeGreaterThanOrEqual(from + 3 * HOUR);
    emulator.control.quota.limit = Number.MAX_SAFE_INTEGER;
    for (let at = from + 5 * MIN; at < from + 3 * HOUR; at += 5 * MIN) await tick(e, at);
    expect(sent()).toHaveLength(met);
    for (let at = from + 3 * HOUR; at < from + 3 * HOUR + 15 * MIN; at += 5 * MIN) await tick(e, at);
    expect(requestsOf('dave', from + 3 * HOUR).map((r) => [r.path, r.status])).toEqual([[RECENT, 200]]);
    expect(captured.lines().filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});
