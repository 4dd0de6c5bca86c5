import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListenBrainzEmulator, type ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import { BACKFILL_PAGE, SYNC_LEASE_MS } from '../../src/app/sources/syncSources.js';
import { createListenBrainzClient } from '../../src/listenbrainz/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createSourceLinksRepository } from '../../src/store/sources/sourceLinksRepository.js';
import { createSourcePlays } from '../../src/store/sources/sourcePlays.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import type { FromBackfillChild } from './sourcesBackfillChild.js';

/**
 * Issue 23's "resumable after SIGKILL": a ListenBrainz backfill of about 100,000 listens run by
 * child processes on one Postgres and one emulator (this process's, so it outlives them). The first
 * child is killed wherever it is once 20,000 listens are in; the second just before it stores a
 * page; the third just after, before its step moves the state on. The last two die holding the
 * lease, and the survivor waits it out (its clock starts past it) and finishes. The member must end
 * with exactly what one clean read stores for another member: no listen twice, none missing,
 * rollups counted once.
 */

interface Child {
  process: ChildProcess;
  output: string;
  messages: FromBackfillChild[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const MINUTE = 60_000;
const MEMBER = 'lb-member';
const REFERENCE = 'lb-reference';
const USER = 'rob';
let db: TestDatabase;
let store: Store;
let em: ListenBrainzEmulator;
const children: Child[] = [];

function startChild(instanceId: string, clockOffsetMs: number, hold?: `${'before' | 'after'}:${number}`): Child {
  const child = fork(path.resolve('test/scale/sourcesBackfillChild.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      LISTENBRAINZ_URL: em.url,
      MEMBER_ID: MEMBER,
      INSTANCE_ID: instanceId,
      CLOCK_OFFSET_MS: String(clockOffsetMs),
      ...(hold === undefined ? {} : { HOLD: hold }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const started: Child = {
    process: child,
    output: '',
    messages: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on('data', (d) => (started.output += String(d)));
  child.stderr!.on('data', (d) => (started.output += String(d)));
  child.on('message', (m: FromBackfillChild) => started.messages.push(m));
  children.push(started);
  return started;
}

/** Polls for what a child process does; no clock of ours moves it. */
async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  child: Child,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (child.process.exitCode !== null || Date.now() > deadline)
      throw new Error(`${what}: not seen (child exit ${child.process.exitCode})\n${child.output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function kill(child: Child) {
  child.process.kill('SIGKILL');
  expect((await child.exited).signal).toBe('SIGKILL');
}

async function syncState() {
  const { rows } = await store.pool.query<{ read: string; before: string | null; done: boolean; pages: number }>(
    `SELECT listens_read AS read, backfill_before_ms AS before, backfill_done AS done, pages
     FROM source_sync WHERE member_id = $1 AND source = 'listenbrainz'`,
    [MEMBER],
  );
  const row = rows[0]!;
  return { ...row, read: Number(row.read), before: row.before === null ? undefined : Number(row.before) };
}

/** The same history read straight through in one go, stored for another member page by page. */
async function cleanRead() {
  // One account is one member's: the reference member links a stand-in name, and the pages below
  // are read for USER by the client itself.
  expect(await createSourceLinksRepository(store.pool).link(REFERENCE, 'listenbrainz', `${USER}-ref`, Date.now())).toBe(
    'linked',
  );
  const plays = createSourcePlays(store.pool);
  const client = createListenBrainzClient({
    baseUrl: em.url,
    version: '0.0.0-test',
    contact: 'https://encore.example.org',
  });
  for (let before: number | undefined; ;) {
    const page = await client.listens(USER, before === undefined ? {} : { before }, BACKFILL_PAGE.listenbrainz);
    await plays.storeListens(REFERENCE, 'listenbrainz', page.listens, async () => () => 'unclassified');
    if (page.next === undefined) return;
    before = page.next;
  }
}

async function playsOf(member: string) {
  const { rows } = await store.pool.query<{ at: string; track_id: string; ms: number | null }>(
    `SELECT played_at::text AS at, track_id, ms_played AS ms FROM plays WHERE member_id = $1 ORDER BY played_at, track_id`,
    [member],
  );
  return rows.map((r) => `${r.at}|${r.track_id}|${r.ms}`);
}

async function rollupsOf(member: string) {
  const { rows } = await store.pool.query<{ plays: string; ms: string; artist_plays: string }>(
    `SELECT (SELECT sum(plays) FROM member_daily WHERE member_id = $1) AS plays,
            (SELECT sum(ms) FROM member_daily WHERE member_id = $1) AS ms,
            (SELECT sum(plays) FROM member_daily_artists WHERE member_id = $1) AS artist_plays`,
    [member],
  );
  return rows[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log: captureLogger('silent').log });
  // At ListenBrainz's documented limit (30 requests per 10 s per IP), on the wall clock: the
  // children's clients wait out its windows for real.
  em = await startListenBrainzEmulator({ users: [{ name: USER, years: 3, perDay: 95, seed: 1 }] });
});

afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await em?.close();
  await store?.close();
  await db?.drop();
});

describe('a ListenBrainz backfill killed with SIGKILL', () => {
  it('resumes in a fresh process and stores what one clean read stores: no duplicate, no gap', async () => {
    const truth = em.user(USER).history.all();
    expect(truth.length).toBeGreaterThan(95_000);
    expect(await createSourceLinksRepository(store.pool).link(MEMBER, 'listenbrainz', USER, Date.now())).toBe('linked');

    // Killed wherever it happens to be (a request, a rate-limit wait, a store's transaction).
    const first = startChild('doomed-1', 0);
    await eventually(async () => ((await syncState()).read >= 20_000 ? true : undefined), '20,000 listens in', first);
    await kill(first);
    const afterFirst = await syncState();
    expect(afterFirst.done).toBe(false);

    // Killed just before its third page's store, then just after one (before that step's state is
    // saved): each time the lease is left held by a process that is gone.
    const leaseClock = SYNC_LEASE_MS + MINUTE;
    let state = afterFirst;
    for (const [n, when] of [
      [1, 'before'],
      [2, 'after'],
    ] as const) {
      const clock = n * leaseClock;
      const doomed = startChild(`doomed-${n + 1}`, clock, `${when}:3`);
      await eventually(() => (doomed.messages.some((m) => m.type === 'holding') ? true : undefined), 'holding', doomed);
      await kill(doomed);
      const now = await syncState();
      expect(now.done).toBe(false);
      expect(now.pages).toBe(state.pages + 2);
      state = now;
      const { rows } = await store.pool.query<{ oldest: Date }>(
        `SELECT min(played_at) AS oldest FROM plays WHERE member_id = $1`,
        [MEMBER],
      );
      const oldest = rows[0]!.oldest.getTime();
      // Before: nothing stored past where the state stands. After: a stored page the state stands before.
      if (when === 'before') expect(oldest).toBeGreaterThanOrEqual(state.before!);
      else expect(oldest).toBeLessThan(state.before!);
      // Nobody may step in before the dead holder's lease runs out.
      expect(
        await store.leases.acquire(
          'source-sync',
          `${MEMBER}:listenbrainz`,
          'bystander',
          SYNC_LEASE_MS,
          Date.now() + clock,
        ),
      ).toBe(false);
    }

    // A fresh process whose clock starts past that lease finishes the backfill.
    const survivor = startChild('survivor', 3 * leaseClock);
    const exit = await survivor.exited;
    expect(exit.code, survivor.output).toBe(0);
    expect(survivor.messages.map((m) => m.type)).toEqual(['done']);
    const last = await syncState();
    expect(last.done).toBe(true);
    // Every page counted once in the state, though the dead children read some twice.
    expect(last.read).toBe(truth.length);

    // The reference's pace is not what is tested here.
    em.control.rateLimit.perIp = 1_000_000;
    await cleanRead();
    const stored = await playsOf(MEMBER);
    expect(stored).toEqual(await playsOf(REFERENCE));
    // No listen twice: no track at one instant more than once.
    expect(new Set(stored.map((row) => row.split('|').slice(0, 2).join('|'))).size).toBe(stored.length);
    // One play per listen but for the few a listen-counts-once rule merges (backfill.test.ts explains the bound).
    expect(truth.length - stored.length).toBeGreaterThanOrEqual(2);
    expect(truth.length - stored.length).toBeLessThan(truth.length / 200);
    expect(await rollupsOf(MEMBER)).toEqual(await rollupsOf(REFERENCE));
    expect(Number((await rollupsOf(MEMBER)).plays)).toBe(stored.length);
  }, 240_000);
});
