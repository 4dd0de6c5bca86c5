import { nextPollDelay } from '../../core/history/index.js';
import { DEFAULT_PROGRESS_EVERY, progressReport } from './backfillProgress.js';
import { SourceError, type SourceKind, type SourceListen } from './ports.js';
import type { SourceSyncDeps, SourceSyncRecord } from './syncPorts.js';

/** Each source's page cap: a backfill reads the most it may per request. */
export const BACKFILL_PAGE: Readonly<Record<SourceKind, number>> = { listenbrainz: 1000, lastfm: 200 };
/**
 * Long enough for one step: a page (or a poll's pages) with the client's own waits for the rate
 * limit (a ListenBrainz window is 10 s, Last.fm's pacer 250 ms a request) and a store.
 */
export const SYNC_LEASE_MS = 5 * 60_000;
/**
 * A poll reads from this long before its cursor: listens can arrive dated a little in the past (a
 * scrobbler's queue, ListenBrainz's own Spotify reader), and the store keeps each listen once anyway.
 */
export const POLL_OVERLAP_MS = 15 * 60_000;
/** A temporary failure is retried after 1, 2, 4 … minutes, at most an hour apart. */
export const BACKOFF = { baseMs: 60_000, maxMs: 60 * 60_000 } as const;
/** Refused API credentials need the operator: retried rarely, in case the key was fixed meanwhile. */
export const MISCONFIGURED_RETRY_MS = 6 * 3_600_000;
/** When a rate-limited source gave no time to come back. */
const RATE_LIMIT_FALLBACK_MS = 60_000;
/** What one tick of the job spends stepping backfills at most (the job runs every minute). */
export const TICK_BUDGET_MS = 50_000;

export type SyncResult =
  | {
      kind: 'backfilled';
      memberId: string;
      source: SourceKind;
      listens: number;
      inserted: number;
      /** The whole history is in: the next step is a poll. */
      done: boolean;
    }
  | { kind: 'polled'; memberId: string; source: SourceKind; fresh: number; inserted: number; nextPollAt: number }
  | { kind: 'not-due' | 'busy' | 'unlinked'; memberId: string; source: SourceKind }
  | { kind: 'stopped'; memberId: string; source: SourceKind; status: 'private' | 'not-found' }
  | { kind: 'failed'; memberId: string; source: SourceKind; reason: string; nextPollAt: number };

const keyOf = (s: { memberId: string; source: SourceKind }) => `${s.memberId}:${s.source}`;
const backoff = (failures: number) => Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, failures - 1));
const newestOf = (listens: readonly SourceListen[]) =>
  listens.reduce<number | undefined>((m, l) => (m === undefined || l.listenedAt > m ? l.listenedAt : m), undefined);
const maxOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/** Calls a feature callback; its trouble (a DM that cannot be sent) must not undo a stored step. */
async function notify(deps: SourceSyncDeps, what: string, call: () => Promise<void> | void): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.log.warn({ err: error, callback: what }, 'a listening-source callback failed');
  }
}

/**
 * One backfill page older than where the backfill stands, stored before the state moves past it:
 * a process killed between the two reads the same page again (the store keeps each listen once),
 * and one killed before storing has not moved the state, so nothing is skipped.
 */
async function backfillPage(deps: SourceSyncDeps, state: SourceSyncRecord, started: number): Promise<SyncResult> {
  const { memberId, source } = state;
  const before = state.backfillBefore;
  const page = await deps.sources[source]!.listens(
    state.userName,
    before === undefined ? {} : { before },
    BACKFILL_PAGE[source],
  );
  const inserted = page.listens.length
    ? (await deps.plays.storeListens(memberId, source, page.listens, deps.genreOf)).inserted
    : 0;
  let next = page.next;
  if (next !== undefined && before !== undefined && next >= before) {
    // A source that does not move backwards would keep this backfill busy for ever.
    deps.log.warn({ memberId, source, before, next }, 'a listening source paged forwards; backfill stopped there');
    next = undefined;
  }
  const now = deps.now();
  const done = next === undefined;
  const after: SourceSyncRecord = {
    ...state,
    backfillBefore: next ?? before,
    backfillDone: done,
    read: state.read + page.listens.length,
    // Only the first page's total is the whole history (Last.fm counts what lies before `to`).
    total: before === undefined ? (page.total ?? state.total) : state.total,
    // The newest listen the backfill saw: the poll reads after it. Set by the first page with listens.
    cursor: maxOf(state.cursor, newestOf(page.listens)),
    pages: state.pages + 1,
    backfillStartedAt: state.backfillStartedAt ?? started,
    failures: 0,
    lastFailure: undefined,
    // While backfilling the next page is due at once: the client spaces requests by the source's limits.
    nextPollAt: now,
  };
  const progress = done ? undefined : progressReport(after, now, deps.progressEvery ?? DEFAULT_PROGRESS_EVERY);
  if (progress) Object.assign(after, { progressAt: now, progressRead: after.read, progressPages: after.pages });
  if (!(await deps.sync.save(after))) return { kind: 'unlinked', memberId, source };
  if (done) await notify(deps, 'onBackfillDone', () => deps.onBackfillDone?.(memberId, source, { read: after.read }));
  else if (progress) await notify(deps, 'onProgress', () => deps.onProgress?.(memberId, source, progress));
  return { kind: 'backfilled', memberId, source, listens: page.listens.length, inserted, done };
}

/** Every listen after the cursor (all pages, newest first), stored page by page; then the cursor moves. */
async function poll(deps: SourceSyncDeps, state: SourceSyncRecord): Promise<SyncResult> {
  const { memberId, source } = state;
  const client = deps.sources[source]!;
  const after = state.cursor === undefined ? undefined : state.cursor - POLL_OVERLAP_MS;
  let newest: number | undefined;
  let fresh = 0;
  let inserted = 0;
  for (let before: number | undefined; ;) {
    const page = await client.listens(
      state.userName,
      { ...(after === undefined ? {} : { after }), ...(before === undefined ? {} : { before }) },
      BACKFILL_PAGE[source],
    );
    if (page.listens.length)
      inserted += (await deps.plays.storeListens(memberId, source, page.listens, deps.genreOf)).inserted;
    newest = maxOf(newest, newestOf(page.listens));
    fresh += page.listens.filter((l) => state.cursor === undefined || l.listenedAt > state.cursor).length;
    if (page.next === undefined || (before !== undefined && page.next >= before)) break;
    before = page.next;
  }
  const now = deps.now();
  const cursor = maxOf(state.cursor, newest);
  const nextPollAt = now + nextPollDelay({ count: fresh, lastPlayAt: cursor }, now);
  const saved = await deps.sync.save({ ...state, cursor, nextPollAt, failures: 0, lastFailure: undefined });
  if (!saved) return { kind: 'unlinked', memberId, source };
  return { kind: 'polled', memberId, source, fresh, inserted, nextPollAt };
}

/** A source's failure by meaning: when to try again, or stop until the member connects again. */
async function sourceFailed(deps: SourceSyncDeps, state: SourceSyncRecord, error: SourceError): Promise<SyncResult> {
  const { memberId, source } = state;
  const now = deps.now();
  const failed = (nextPollAt: number, extra: Partial<SourceSyncRecord> = {}) =>
    deps.sync.save({ ...state, nextPollAt, lastFailure: error.failure, ...extra });
  switch (error.failure) {
    case 'private':
    case 'not-found': {
      const status = error.failure;
      if (!(await failed(now, { status }))) return { kind: 'unlinked', memberId, source };
      deps.log.info({ memberId, source, status }, 'listening source sync stopped until the member connects again');
      await notify(deps, 'onStopped', () => deps.onStopped?.(memberId, source, status));
      return { kind: 'stopped', memberId, source, status };
    }
    case 'rate-limited': {
      // The limit is the source's (per IP, per API key): every member of it waits, not just this one.
      const nextPollAt = Math.max(error.retryAt ?? now + RATE_LIMIT_FALLBACK_MS, now);
      await failed(nextPollAt);
      await deps.sync.deferSource(source, nextPollAt, 'rate-limited');
      return { kind: 'failed', memberId, source, reason: 'rate-limited', nextPollAt };
    }
    case 'misconfigured': {
      const nextPollAt = now + MISCONFIGURED_RETRY_MS;
      // Every link of the source hits the same refused key: one log line, not one per member per retry.
      if (state.lastFailure !== 'misconfigured')
        deps.log.error(
          { source, err: error },
          `${source} refused Encore's API credentials; syncing paused, retried every few hours`,
        );
      await failed(nextPollAt, { failures: state.failures + 1 });
      await deps.sync.deferSource(source, nextPollAt, 'misconfigured');
      return { kind: 'failed', memberId, source, reason: 'misconfigured', nextPollAt };
    }
    case 'temporary':
      return retryLater(deps, state, error, 'temporary');
  }
}

/** A failure that may pass by itself: tried again with a growing delay. */
async function retryLater(
  deps: SourceSyncDeps,
  state: SourceSyncRecord,
  error: unknown,
  reason: string,
): Promise<SyncResult> {
  const { memberId, source } = state;
  const failures = state.failures + 1;
  const nextPollAt = deps.now() + backoff(failures);
  if (failures === 1)
    deps.log.warn({ memberId, source, err: error }, 'listening source sync failed; tried again later');
  await deps.sync.save({ ...state, failures, nextPollAt, lastFailure: 'temporary' });
  return { kind: 'failed', memberId, source, reason, nextPollAt };
}

/**
 * One step for one member and source, if it is due: a backfill page, or a poll once the backfill is
 * done. Run under the link's lease. Every failure is an outcome, never an exception, so one
 * member's trouble does not stop the others.
 */
export async function syncStep(deps: SourceSyncDeps, memberId: string, source: SourceKind): Promise<SyncResult> {
  const started = deps.now();
  if (!(await deps.lease.acquire(memberId, source, deps.instanceId, SYNC_LEASE_MS, started)))
    return { kind: 'busy', memberId, source };
  let state: SourceSyncRecord | undefined;
  try {
    // Read under the lease: another instance may have taken this step a moment ago.
    state = await deps.sync.get(memberId, source);
    if (!state) return { kind: 'unlinked', memberId, source };
    if (state.status !== 'ok' || state.nextPollAt > started || !deps.sources[source])
      return { kind: 'not-due', memberId, source };
    try {
      return state.backfillDone ? await poll(deps, state) : await backfillPage(deps, state, started);
    } catch (error) {
      if (error instanceof SourceError) return await sourceFailed(deps, state, error);
      // The store failed, or the source answered something no mapping expected: nothing moved.
      return await retryLater(deps, state, error, error instanceof Error ? error.name : 'error');
    }
  } catch (error) {
    // Even recording the failure failed (the database is away): the next tick tries again.
    deps.log.warn({ memberId, source, err: error }, 'could not record a listening-source step');
    return { kind: 'failed', memberId, source, reason: 'store', nextPollAt: state?.nextPollAt ?? started };
  } finally {
    await deps.lease.release(memberId, source, deps.instanceId).catch(() => {});
  }
}

export interface SyncDueOptions {
  /** Only these links ("memberId:source"); every due one when omitted. */
  only?: ReadonlySet<string>;
  /** No step starts at or after this instant (Unix ms, on deps.now); the rest wait for the next tick. */
  deadline?: number;
  /** True once Encore is shutting down: no further step starts. */
  shouldStop?: () => boolean;
}

/**
 * One step for every link due at `now`, each under its lease. One lane per source, the sources side
 * by side: a source's pace is its client's (rate limits per IP or API key), so two steps on one
 * source would only queue behind each other, while ListenBrainz and Last.fm do not wait for each other.
 */
export async function syncDue(deps: SourceSyncDeps, now: number, options: SyncDueOptions = {}): Promise<SyncResult[]> {
  const kinds = (Object.keys(deps.sources) as SourceKind[]).filter((k) => deps.sources[k]);
  const due = (await deps.sync.due(kinds, now)).filter((s) => !options.only || options.only.has(keyOf(s)));
  const results: SyncResult[] = [];
  const lane = async (source: SourceKind) => {
    for (const state of due.filter((s) => s.source === source)) {
      if (options.shouldStop?.() || (options.deadline !== undefined && deps.now() >= options.deadline)) return;
      results.push(await syncStep(deps, state.memberId, source));
    }
  };
  await Promise.all(kinds.map(lane));
  return results;
}

/**
 * One tick of the sync job: a step for every due link, then more backfill pages for the links that
 * are backfilling, pass after pass, until they are done or `budgetMs` of the clock is spent. Polls
 * and failed steps get one step a tick; a backfill gets as many pages as its source's pace allows.
 */
export async function syncTick(
  deps: SourceSyncDeps,
  options: { budgetMs?: number; shouldStop?: () => boolean } = {},
): Promise<SyncResult[]> {
  const start = deps.now();
  const deadline = start + (options.budgetMs ?? TICK_BUDGET_MS);
  const { shouldStop } = options;
  const all: SyncResult[] = [];
  let results = await syncDue(deps, start, { deadline, shouldStop });
  for (;;) {
    all.push(...results);
    const going = new Set(results.filter((r) => r.kind === 'backfilled' && !r.done).map(keyOf));
    if (!going.size || deps.now() >= deadline || shouldStop?.()) return all;
    results = await syncDue(deps, deps.now(), { only: going, deadline, shouldStop });
  }
}
