import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type EmulatedPlay, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { aKey } from '../linking/factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { linkMembers, simulatedClock, startCollectorInstance, type CollectorInstance } from './collectorWorld.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 16); // a Monday, 00:00 UTC
const STEP = 5 * MIN; // the scheduler ticks every minute; every fifth tick is enough to keep the cadence
const USERS = ['alice', 'bob', 'carol'] as const;
const RECENT = '/me/player/recently-played';

// The week: A alone; A stops at Wednesday 18:00 and the bot is down until Thursday 00:00 while
// alice binges 70 tracks; B starts on the same database; a 40-minute Spotify 5xx burst on Friday
// evening; from Saturday a second instance (C) runs beside B until the next Monday.
const DOWN_FROM = T0 + 2 * DAY + 18 * HOUR;
const DOWN_TO = T0 + 3 * DAY;
const BURST_FROM = T0 + 4 * DAY + 19 * HOUR;
const BURST_TO = BURST_FROM + 40 * MIN;
const BOTH_FROM = T0 + 5 * DAY;
const END = T0 + 7 * DAY;

let db: TestDatabase;
let emulator: SpotifyEmulator;
const clock = simulatedClock(T0);
const instances: CollectorInstance[] = [];
const { log, lines } = captureLogger('info');
let ids: Map<string, string>;
/** Polls per (member, tick time), to show that no member was ever polled twice at once. */
const pollsAt = new Map<string, number>();

beforeAll(async () => {
  db = await createTestDatabase();
  emulator = await startSpotifyEmulator({ now: clock.at });
  const key = aKey();
  const start = async (name: string) => {
    const instance = await startCollectorInstance({
      name,
      databaseUrl: db.url,
      emulator,
      clock,
      encryptionKey: key,
      log: log.child({ instance: name }),
    });
    instances.push(instance);
    return instance;
  };
  const run = async (from: number, to: number, running: CollectorInstance[], during?: (at: number) => void) => {
    for (let at = from; at < to; at += STEP) {
      clock.set(at);
      during?.(at);
      await Promise.all(running.map((instance) => instance.tick(at)));
    }
  };

  const a = await start('A');
  ids = await linkMembers(a, emulator, USERS, T0 - 30 * DAY);
  await run(T0, DOWN_FROM, [a]);
  await a.stop();

  emulator.listening.binge('alice', DOWN_FROM + 30 * MIN, 70);
  const b = await start('B');
  const burst = { path: RECENT, status: 503 };
  await run(DOWN_TO, BOTH_FROM, [b], (at) => {
    if (at === BURST_FROM) emulator.addFault(burst);
    if (at === BURST_TO) emulator.control.faults.splice(emulator.control.faults.indexOf(burst), 1);
  });
  const c = await start('C');
  await run(BOTH_FROM, END, [b, c]);
  for (const r of emulator.requests)
    if (r.path === RECENT) pollsAt.set(`${r.userId}@${r.at}`, (pollsAt.get(`${r.userId}@${r.at}`) ?? 0) + 1);
}, 600_000);

afterAll(async () => {
  for (const instance of instances) await instance.stop().catch(() => {});
  await emulator?.close();
  await db?.drop();
});

/** What the emulator played that the collector could have seen: the 50 before its first poll, then everything up to its last. */
function played(user: string): EmulatedPlay[] {
  const polls = emulator.requests.filter((r) => r.path === RECENT && r.userId === user && r.status === 200);
  const first = polls[0]!.at;
  const last = polls.at(-1)!.at;
  return [
    ...emulator.listening.recent(user, first, 50).reverse(),
    ...emulator.listening.playsBetween(user, first, last),
  ];
}

describe('the collector through a simulated week (restart, 5xx burst, two instances)', () => {
  const repo = () => instances.at(-1)!.history.service.repo;

  it.each(USERS)(
    'ends with exactly the plays %s played, none duplicated, lost only inside recorded gaps',
    async (user) => {
      const memberId = ids.get(user)!;
      const gaps = await repo().gaps(memberId);
      const inGap = (p: { playedAt: number }) => gaps.some((g) => p.playedAt > g.from && p.playedAt < g.to);
      const truth = played(user);
      const stored = await repo().plays(memberId);
      expect(stored.map((p) => [p.playedAt, p.trackId])).toEqual(
        truth.filter((p) => !inGap(p)).map((p) => [p.playedAt, p.trackId]),
      );
      expect(new Set(stored.map((p) => p.playedAt)).size).toBe(stored.length);
      expect(stored.length).toBeGreaterThan(user === 'alice' ? 300 : 50);
    },
  );

  it('recorded a gap where alice played more than 50 tracks between two polls, and only there', async () => {
    const gaps = await repo().gaps(ids.get('alice')!);
    expect(gaps).toHaveLength(1);
    const [gap] = gaps;
    expect(gap!.from).toBeLessThan(DOWN_FROM);
    expect(gap!.to).toBeGreaterThan(DOWN_FROM);
    expect(gap!.to).toBeLessThan(DOWN_TO);
    const lost = emulator.listening.playsBetween('alice', gap!.from, gap!.to - 1);
    expect(lost.length).toBeGreaterThan(0);
    // The poll after the restart found a full window: 50 plays from the gap's end on.
    expect(emulator.listening.playsBetween('alice', gap!.from, DOWN_TO).length).toBeGreaterThan(50);
    for (const user of ['bob', 'carol']) expect(await repo().gaps(ids.get(user)!)).toEqual([]);
  });

  it('kept polling through the 5xx burst: those polls failed and were retried at the next cadence', () => {
    const during = emulator.requests.filter((r) => r.path === RECENT && r.at >= BURST_FROM && r.at < BURST_TO);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((r) => r.status === 503)).toBe(true);
    const after = emulator.requests.filter((r) => r.path === RECENT && r.at >= BURST_TO && r.at < BURST_TO + 25 * MIN);
    expect(new Set(after.filter((r) => r.status === 200).map((r) => r.userId))).toEqual(new Set(USERS));
    expect(
      lines().filter((l) => l.msg === 'history poll failed; tried again at the next cadence').length,
    ).toBeGreaterThan(0);
  });

  it('never polled one member twice at the same tick, with two instances on one database', () => {
    const both = emulator.requests.filter((r) => r.path === RECENT && r.at >= BOTH_FROM);
    expect(both.length).toBeGreaterThan(100);
    const repeated = [...pollsAt.entries()].filter(([key, n]) => n > 1 && Number(key.split('@')[1]) >= BOTH_FROM);
    expect(repeated).toEqual([]);
  });

  it('kept the cadence all week, across the restart: polls 10 minutes to 2 hours apart, overdue members polled at once', () => {
    for (const user of USERS) {
      const polls = emulator.requests.filter((r) => r.path === RECENT && r.userId === user).map((r) => r.at);
      const intervals = polls
        .slice(1)
        .map((at, i) => [polls[i]!, at] as const)
        .filter(([from, to]) => !(from < DOWN_FROM && to >= DOWN_TO));
      expect(Math.min(...intervals.map(([from, to]) => to - from))).toBeGreaterThanOrEqual(10 * MIN);
      // The scheduler's ticks here are 5 minutes apart: a poll may start up to one tick late.
      expect(Math.max(...intervals.map(([from, to]) => to - from))).toBeLessThanOrEqual(2 * HOUR + STEP);
      expect(polls.filter((at) => at < DOWN_FROM).length / ((DOWN_FROM - T0) / DAY)).toBeLessThanOrEqual(80);
    }
    // B's first tick polls everyone at once: all were overdue while the bot was down.
    const firstAfter = emulator.requests.filter((r) => r.path === RECENT && r.at === DOWN_TO);
    expect(new Set(firstAfter.map((r) => r.userId))).toEqual(new Set(USERS));
  });

  it('kept the daily rollups equal to the stored plays (plays, ms, genres add up; every play has its artists)', async () => {
    const pool = instances.at(-1)!.store.pool;
    for (const user of USERS) {
      const memberId = ids.get(user)!;
      const { rows: byDay } = await pool.query<{ day: string; plays: number; ms: string }>(
        `SELECT to_char(played_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS plays, sum(ms_played)::text AS ms FROM plays WHERE member_id = $1 GROUP BY 1 ORDER BY 1`,
        [memberId],
      );
      const { rows: daily } = await pool.query<{ day: string; plays: number; ms: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, plays, ms::text FROM member_daily WHERE member_id = $1 ORDER BY day`,
        [memberId],
      );
      expect(daily).toEqual(byDay);
      const { rows: genres } = await pool.query<{ day: string; plays: number; ms: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(plays)::int AS plays, sum(ms)::text AS ms FROM member_daily_genres WHERE member_id = $1 GROUP BY day ORDER BY day`,
        [memberId],
      );
      expect(genres).toEqual(byDay);
      const { rows: artists } = await pool.query<{ n: number }>(
        `SELECT (SELECT sum(plays) FROM member_daily_artists WHERE member_id = $1)::int - (SELECT count(*) FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id WHERE p.member_id = $1)::int AS n`,
        [memberId],
      );
      expect(artists[0]!.n).toBe(0);
      const stored = await instances.at(-1)!.history.service.repo.plays(memberId);
      expect(
        stored.every(
          (p) =>
            p.msEstimated &&
            p.source === 'collected' &&
            p.msPlayed === emulator.world.tracks.get(p.trackId)!.durationMs,
        ),
      ).toBe(true);
    }
  });
});
