import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKOFF,
  MISCONFIGURED_RETRY_MS,
  POLL_OVERLAP_MS,
  SYNC_LEASE_MS,
  syncDue,
  syncTick,
  TICK_BUDGET_MS,
} from '../../src/app/sources/syncSources.js';
import { CADENCE } from '../../src/core/history/index.js';
import { syncSourcesJob } from '../../src/jobs/syncSources.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { LEASES_TABLE } from '../../src/store/schema.js';
import { startLastfmEmulator } from '../../emulators/lastfm/server.js';
import { startListenBrainzEmulator, type EmulatedUserSpec } from '../../emulators/listenbrainz/index.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { manualTicks } from '../support/manualTicks.js';
import { waitUntil } from '../support/waitUntil.js';
import {
  lastfmClient,
  lastfmTruth,
  listenBrainzClient,
  listenBrainzTruth,
  memoryPlays,
  sorted,
  syncDeps,
  testClock,
  type TestClock,
} from './syncWorld.js';

const store = useTestStore();
const START = Date.UTC(2026, 11, 7, 12, 0, 0);
const MINUTE = 60_000;

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
  // Each test starts with no links (an account belongs to one member) and no leases.
  await store().pool.query(`DELETE FROM source_links`);
  await store().pool.query(`DELETE FROM ${LEASES_TABLE} WHERE kind = 'source-sync'`);
});

async function listenBrainz(clock: TestClock, users: readonly EmulatedUserSpec[]) {
  const em = await startListenBrainzEmulator({ now: clock.now, users });
  closers.push(() => em.close());
  return em;
}

async function lastfm(clock: TestClock, options: Parameters<typeof startLastfmEmulator>[0] = {}) {
  const em = await startLastfmEmulator({ now: clock.now, ...options });
  closers.push(() => em.close());
  return em;
}

const HOUR_S = 3600;
const endS = START / 1000 - HOUR_S;

/** Ticks as the job would get them: one a minute, on the minute, until `until` holds (at most `max`). */
async function tickUntil(clock: TestClock, tick: () => Promise<unknown>, until: () => Promise<boolean>, max = 20) {
  for (let n = 1; n <= max; n++) {
    await tick();
    if (await until()) return n;
    clock.set((Math.floor(clock.now() / MINUTE) + 1) * MINUTE);
  }
  throw new Error(`not done after ${max} ticks`);
}

const backfillDone =
  (deps: ReturnType<typeof syncDeps>['deps'], memberId: string, source: 'listenbrainz' | 'lastfm') => async () =>
    (await deps.sync.get(memberId, source))?.backfillDone === true;

/** A sync over `sources` on the test clock, its plays kept in memory (`plays`) to compare with the truth. */
function syncWith(
  clock: TestClock,
  sources: Parameters<typeof syncDeps>[0]['sources'],
  options: Pick<Parameters<typeof syncDeps>[0], 'instanceId' | 'progressEvery'> = {},
) {
  const plays = memoryPlays();
  return { plays, ...syncDeps({ store: store(), clock, sources, plays: plays.repo, ...options }) };
}

/** Ticks `syncTick` until the member's backfill of `source` is done; how many ticks it took. */
const syncUntilBackfilled = (
  clock: TestClock,
  deps: ReturnType<typeof syncDeps>['deps'],
  memberId: string,
  source: 'listenbrainz' | 'lastfm',
) => tickUntil(clock, () => syncTick(deps), backfillDone(deps, memberId, source));

describe('backfill', () => {
  it('reads a 100,000-listen ListenBrainz history within a tick or two, each listen offered once, with progress by the pace', async () => {
    const clock = testClock(START);
    const em = await listenBrainz(clock, [{ name: 'rob', years: 3, perDay: 95, seed: 1 }]);
    const { plays, deps, calls, links } = syncWith(
      clock,
      { listenbrainz: listenBrainzClient(em, clock) },
      { progressEvery: { pages: 10, ms: 5_000 } },
    );
    await links.link('lb-1', 'listenbrainz', 'rob', clock.now());
    const truth = listenBrainzTruth(em, 'rob');
    expect(truth.length).toBeGreaterThan(95_000);

    // Through the real job and scheduler, ticked by hand on the test clock.
    const ticks = manualTicks();
    const scheduler = startJobs([syncSourcesJob(deps)], undefined, {
      log: captureLogger('silent').log,
      ticks: ticks.source,
    });
    closers.push(() => scheduler.stop());
    const used = await tickUntil(
      clock,
      () => ticks.tick('sync-sources', new Date(clock.now())),
      backfillDone(deps, 'lb-1', 'listenbrainz'),
    );

    expect(used).toBeLessThanOrEqual(2);
    expect(sorted(plays.offered('lb-1'))).toEqual(sorted(truth));
    expect(plays.stored('lb-1').size).toBe(new Set(truth).size);
    const listenRequests = em.requests.filter((r) => r.path.endsWith('/listens'));
    // About one request per 1,000 listens (pages end on a whole second, so a few more).
    expect(listenRequests.length).toBeLessThanOrEqual(Math.ceil(truth.length / 990) + 1);
    expect(em.requests.filter((r) => r.status === 429)).toEqual([]);

    const state = (await deps.sync.get('lb-1', 'listenbrainz'))!;
    expect(state).toMatchObject({ read: truth.length, total: truth.length, backfillDone: true, failures: 0 });
    expect(state.cursor).toBe(Math.max(...truth.map((k) => Number(k.split('|')[0]))));
    expect(calls.done).toEqual([
      expect.objectContaining({ memberId: 'lb-1', source: 'listenbrainz', read: truth.length }),
    ]);

    // Progress: throttled by pages and time, growing, of the right total, and an ETA near what was left.
    const progress = calls.progress;
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const [i, p] of progress.entries()) {
      expect(p.total).toBe(truth.length);
      if (i > 0) {
        expect(p.read - progress[i - 1]!.read).toBeGreaterThanOrEqual(10 * 900);
        expect(p.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(5_000);
      }
    }
    const finished = calls.done[0]!.at;
    for (const p of progress.slice(1)) {
      const left = finished - p.at;
      expect(p.etaMs!).toBeGreaterThan(left * 0.5);
      expect(p.etaMs!).toBeLessThan(left * 2 + 10_000);
    }
  }, 120_000);

  it('reads a 100,000-scrobble Last.fm history at 4 requests a second, several hundred pages a tick', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock, {
      users: [
        {
          name: 'frankie',
          history: { count: 100_000, since: endS - 5 * 365 * 86_400, until: endS, sameSecond: 2, seed: 9 },
        },
      ],
    });
    const { plays, deps, calls, links } = syncWith(clock, { lastfm: lastfmClient(em, clock) });
    await links.link('fm-1', 'lastfm', 'frankie', clock.now());
    const used = await syncUntilBackfilled(clock, deps, 'fm-1', 'lastfm');

    const truth = lastfmTruth(em, 'frankie');
    // ~500 pages at 250 ms each is about two minutes of the source's pace: three ticks, not 500.
    expect(used).toBeGreaterThanOrEqual(2);
    expect(used).toBeLessThanOrEqual(4);
    expect(sorted(plays.offered('fm-1'))).toEqual(sorted(truth));
    // Pages end on a whole second, so a page holds 198 or 199 of the 200.
    expect(em.requests.length).toBeLessThanOrEqual(Math.ceil(100_000 / 198) + 1);
    expect(await deps.sync.get('fm-1', 'lastfm')).toMatchObject({ read: 100_000, total: 100_000, backfillDone: true });
    expect(calls.done).toHaveLength(1);
    expect(calls.progress.length).toBeGreaterThan(0);
  }, 120_000);

  it('a step that could not store its page resumes on the same page: no gap, no duplicate', async () => {
    const clock = testClock(START);
    const em = await listenBrainz(clock, [{ name: 'ana', years: 1, perDay: 40, seed: 2 }]);
    const { plays, deps, links } = syncWith(clock, { listenbrainz: listenBrainzClient(em, clock) });
    await links.link('lb-2', 'listenbrainz', 'ana', clock.now());
    let calls = 0;
    plays.hooks.before = () => {
      if (++calls === 4) throw new Error('the database went away');
    };
    const first = await syncTick(deps);
    expect(first.at(-1)).toMatchObject({ kind: 'failed', reason: 'Error', nextPollAt: clock.now() + BACKOFF.baseMs });
    const stuck = (await deps.sync.get('lb-2', 'listenbrainz'))!;
    expect(stuck).toMatchObject({ failures: 1, pages: 3, backfillDone: false });

    await syncUntilBackfilled(clock, deps, 'lb-2', 'listenbrainz');
    const truth = listenBrainzTruth(em, 'ana');
    expect(sorted(plays.offered('lb-2'))).toEqual(sorted(truth));
    expect(await deps.sync.get('lb-2', 'listenbrainz')).toMatchObject({ read: truth.length, failures: 0 });
  });

  it('an instance killed after storing a page, before moving on: another takes over when the lease ends and stores each listen once', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock, {
      users: [
        { name: 'gwen', history: { count: 3_000, since: endS - 300 * 86_400, until: endS, sameSecond: 3, seed: 2 } },
      ],
    });
    const dead = syncWith(clock, { lastfm: lastfmClient(em, clock) }, { instanceId: 'instance-dead' });
    const { plays } = dead;
    await dead.links.link('fm-2', 'lastfm', 'gwen', clock.now());
    let pagesStored = 0;
    let killedPage: readonly string[] = [];
    plays.hooks.after = async (_memberId, listens) => {
      if (++pagesStored === 6) {
        // The page is stored; the process dies before the state moves past it: this step never ends.
        killedPage = listens.map((l) => `${l.listenedAt}|${l.track.name}`);
        await new Promise<void>(() => {});
      }
    };
    void syncTick(dead.deps);
    await waitUntil(() => killedPage.length > 0, 'the abandoned run reached its hang');
    const before = (await dead.deps.sync.get('fm-2', 'lastfm'))!;
    expect(before.pages).toBe(5);

    plays.hooks.after = undefined;
    const fresh = syncDeps({
      store: store(),
      clock,
      sources: { lastfm: lastfmClient(em, clock) },
      plays: plays.repo,
      instanceId: 'instance-b',
    });
    expect(await syncDue(fresh.deps, clock.now())).toEqual([{ kind: 'busy', memberId: 'fm-2', source: 'lastfm' }]);
    clock.advance(SYNC_LEASE_MS);
    await syncUntilBackfilled(clock, fresh.deps, 'fm-2', 'lastfm');

    const truth = lastfmTruth(em, 'gwen');
    expect(sorted(plays.stored('fm-2'))).toEqual(sorted(new Set(truth)));
    // The killed page was offered twice (once by each instance) and everything else once.
    expect(sorted(plays.offered('fm-2'))).toEqual(sorted([...truth, ...killedPage]));
    expect(await fresh.deps.sync.get('fm-2', 'lastfm')).toMatchObject({ read: truth.length + 0, backfillDone: true });
  });
});

describe('polling after the backfill', () => {
  it('picks up new listens, and late ones dated just before the cursor, on the adaptive cadence', async () => {
    const clock = testClock(START);
    const em = await listenBrainz(clock, [{ name: 'ana', years: 1, perDay: 12, seed: 2 }]);
    const { plays, deps, links } = syncWith(clock, { listenbrainz: listenBrainzClient(em, clock) });
    await links.link('lb-3', 'listenbrainz', 'ana', clock.now());
    await syncUntilBackfilled(clock, deps, 'lb-3', 'listenbrainz');
    // The first poll right after the backfill finds nothing new and waits at the quiet cadence.
    const [quiet] = await syncTick(deps);
    expect(quiet).toMatchObject({ kind: 'polled', fresh: 0 });
    const cursor = (await deps.sync.get('lb-3', 'listenbrainz'))!.cursor!;

    clock.advance(3 * MINUTE);
    const user = em.user('ana');
    user.addListen(clock.now() - 2 * MINUTE, 5);
    user.addListen(clock.now() - MINUTE, 6);
    // Submitted late: dated before the newest listen Encore has, within the overlap.
    user.addListen(cursor - POLL_OVERLAP_MS / 3, 7);
    clock.set((await deps.sync.get('lb-3', 'listenbrainz'))!.nextPollAt);
    const [polled] = await syncTick(deps);
    expect(polled).toMatchObject({ kind: 'polled', fresh: 2, inserted: 3 });
    expect(polled?.kind === 'polled' && polled.nextPollAt).toBe(clock.now() + CADENCE.defaultMs);
    expect(sorted(plays.stored('lb-3'))).toEqual(sorted(new Set(listenBrainzTruth(em, 'ana'))));
    // Nothing new: the poll is one request and stores nothing again.
    const requests = em.requests.length;
    clock.set(polled?.kind === 'polled' ? polled.nextPollAt : 0);
    expect(await syncTick(deps)).toEqual([expect.objectContaining({ kind: 'polled', fresh: 0, inserted: 0 })]);
    expect(em.requests.length - requests).toBe(1);
  });
});

describe('failures end in a clear state', () => {
  it('a private Last.fm profile and a deleted account stop syncing until the member connects again, said once', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock, {
      users: [
        { name: 'iris', history: { count: 500, since: endS - 86_400 * 40, until: endS, seed: 4 }, private: true },
      ],
    });
    const lb = await listenBrainz(clock, [{ name: 'ana', years: 1, perDay: 5, seed: 2 }]);
    const { plays, deps, calls, links } = syncWith(clock, {
      lastfm: lastfmClient(em, clock),
      listenbrainz: listenBrainzClient(lb, clock),
    });
    await links.link('p-1', 'lastfm', 'iris', clock.now());
    await links.link('p-2', 'lastfm', 'gone-from-lastfm', clock.now());
    await links.link('p-2', 'listenbrainz', 'renamed-on-lb', clock.now());

    const results = await syncTick(deps);
    expect(sorted(results.map((r) => `${r.memberId}:${r.source}:${r.kind}:${'status' in r ? r.status : ''}`))).toEqual([
      'p-1:lastfm:stopped:private',
      'p-2:lastfm:stopped:not-found',
      'p-2:listenbrainz:stopped:not-found',
    ]);
    expect(sorted(calls.stopped.map((s) => `${s.memberId}:${s.source}:${s.status}`))).toEqual([
      'p-1:lastfm:private',
      'p-2:lastfm:not-found',
      'p-2:listenbrainz:not-found',
    ]);
    expect(await deps.sync.get('p-1', 'lastfm')).toMatchObject({ status: 'private', backfillDone: false, read: 0 });

    // Hours later nothing has been asked again, nobody was told twice.
    const requests = em.requests.length + lb.requests.length;
    clock.advance(6 * 3_600_000);
    expect(await syncTick(deps)).toEqual([]);
    expect(em.requests.length + lb.requests.length).toBe(requests);
    expect(calls.stopped).toHaveLength(3);

    // Connecting again makes it due at once (here still private, so it stops again and says so again).
    await links.link('p-1', 'lastfm', 'iris', clock.now());
    expect(await syncTick(deps)).toEqual([expect.objectContaining({ memberId: 'p-1', kind: 'stopped' })]);
    expect(plays.stored('p-1').size).toBe(0);
  });

  it('a 429 storm holds every member of the source until it passes, then the backfill finishes with no gap', async () => {
    const clock = testClock(START);
    const em = await listenBrainz(clock, [
      { name: 'ana', years: 1, perDay: 30, seed: 2 },
      { name: 'mia', years: 1, perDay: 20, seed: 7 },
    ]);
    const { plays, deps, links } = syncWith(clock, { listenbrainz: listenBrainzClient(em, clock) });
    await links.link('s-1', 'listenbrainz', 'ana', clock.now());
    await links.link('s-2', 'listenbrainz', 'mia', clock.now());
    let pages = 0;
    plays.hooks.after = () => {
      if (++pages === 3) em.control.storm = true;
    };
    const during = await syncTick(deps);
    const failed = during.filter((r) => r.kind === 'failed');
    expect(failed).toEqual([expect.objectContaining({ reason: 'rate-limited' })]);
    const retryAt = failed[0]!.kind === 'failed' ? failed[0]!.nextPollAt : 0;
    expect(retryAt).toBeGreaterThan(clock.now() - 1);
    for (const member of ['s-1', 's-2']) {
      const state = (await deps.sync.get(member, 'listenbrainz'))!;
      expect(state.status).toBe('ok');
      expect(state.nextPollAt).toBeGreaterThanOrEqual(retryAt);
      expect(state.backfillDone).toBe(false);
    }
    const readBefore = plays.offered('s-1').length + plays.offered('s-2').length;

    // Still storming a few minutes on: each tick costs a handful of requests, nothing moves.
    for (let i = 0; i < 3; i++) {
      clock.set((Math.floor(clock.now() / MINUTE) + 1) * MINUTE);
      const sent = em.requests.length;
      await syncTick(deps);
      expect(em.requests.length - sent).toBeLessThanOrEqual(3);
    }
    expect(plays.offered('s-1').length + plays.offered('s-2').length).toBe(readBefore);

    em.control.storm = false;
    clock.set((Math.floor(clock.now() / MINUTE) + 1) * MINUTE);
    await tickUntil(
      clock,
      () => syncTick(deps),
      async () =>
        (await backfillDone(deps, 's-1', 'listenbrainz')()) && (await backfillDone(deps, 's-2', 'listenbrainz')()),
    );
    expect(sorted(plays.offered('s-1'))).toEqual(sorted(listenBrainzTruth(em, 'ana')));
    expect(sorted(plays.offered('s-2'))).toEqual(sorted(listenBrainzTruth(em, 'mia')));
  });

  it('temporary failures are retried with a growing delay, and the count resets once a step succeeds', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock, {
      users: [
        { name: 'hugo', history: { count: 950, since: endS - 60 * 86_400, until: endS, sameSecond: 7, seed: 3 } },
      ],
    });
    const { plays, deps, links, logger } = syncWith(clock, { lastfm: lastfmClient(em, clock) });
    await links.link('t-1', 'lastfm', 'hugo', clock.now());
    em.control.failNext({ code: 16 }, 2);
    em.control.failNext({ code: 11 }, 1);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [result] = await syncTick(deps);
      expect(result).toMatchObject({ kind: 'failed', reason: 'temporary' });
      delays.push(result!.kind === 'failed' ? result!.nextPollAt - clock.now() : 0);
      clock.set(result!.kind === 'failed' ? result!.nextPollAt : 0);
    }
    expect(delays).toEqual([BACKOFF.baseMs, 2 * BACKOFF.baseMs, 4 * BACKOFF.baseMs]);
    expect(logger.lines().filter((l) => l.msg === 'listening source sync failed; tried again later')).toHaveLength(1);
    await syncUntilBackfilled(clock, deps, 't-1', 'lastfm');
    expect(await deps.sync.get('t-1', 'lastfm')).toMatchObject({ failures: 0, read: 950 });
    expect(sorted(plays.offered('t-1'))).toEqual(sorted(lastfmTruth(em, 'hugo')));
  });

  it('a refused API key is logged once and waits hours for the operator, for every Last.fm member', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock);
    const { deps, links, logger } = syncWith(clock, {
      lastfm: lastfmClient(em, clock, 'not-the-operators-key-000000000000'),
    });
    await links.link('k-1', 'lastfm', 'gwen', clock.now());
    await links.link('k-2', 'lastfm', 'hugo', clock.now());
    const results = await syncTick(deps);
    // The second member is not asked at all: the first one's answer held the whole source.
    expect(results.map((r) => `${r.memberId}:${r.kind}`)).toEqual(['k-1:failed', 'k-2:not-due']);
    expect(results[0]).toMatchObject({ reason: 'misconfigured' });
    for (const member of ['k-1', 'k-2'])
      expect((await deps.sync.get(member, 'lastfm'))!.nextPollAt).toBe(clock.now() + MISCONFIGURED_RETRY_MS);
    clock.advance(MISCONFIGURED_RETRY_MS);
    await syncTick(deps);
    clock.advance(MISCONFIGURED_RETRY_MS);
    await syncTick(deps);
    expect(em.requests).toHaveLength(3);
    const refused = logger.lines().filter((l) => String(l.msg).includes("refused Encore's API credentials"));
    expect(refused).toHaveLength(1);
    expect(logger.text()).not.toContain('not-the-operators-key');
  });

  it('keeps a tick within its budget: a step never starts after it', async () => {
    const clock = testClock(START);
    const em = await lastfm(clock, {
      users: [{ name: 'frankie', history: { count: 40_000, since: endS - 365 * 86_400, until: endS, seed: 1 } }],
    });
    const { deps, links } = syncWith(clock, { lastfm: lastfmClient(em, clock) });
    await links.link('b-1', 'lastfm', 'frankie', clock.now());
    const start = clock.now();
    const results = await syncTick(deps);
    // The last step started inside the budget; its request went out after the pacer's 250 ms at most.
    expect(em.requests.at(-1)!.at).toBeLessThanOrEqual(start + TICK_BUDGET_MS);
    expect(clock.now()).toBeLessThanOrEqual(start + TICK_BUDGET_MS + 250);
    // 250 ms a request: the budget holds about 200 pages.
    expect(results.length).toBeGreaterThan(150);
    expect(results.length).toBeLessThanOrEqual(TICK_BUDGET_MS / 250 + 1);
  });
});
