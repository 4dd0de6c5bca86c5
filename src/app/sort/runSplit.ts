import { randomUUID } from 'node:crypto';
import {
  finishSplitJob, finishStep, nextSplitSteps, splitProgress, splitWritten, startStep,
  type SplitStep, type SplitStepResult,
} from '../../core/sort/index.js';
import { BudgetExhaustedError, QuotaExceededError, RateLimitedError, SpotifyUnavailableError, UserError } from '../../core/errors.js';
import type { InteractionReplyRef, SortJobRecord, SortJobRepository, SortSpotify } from './ports.js';

export type SplitProgress = ReturnType<typeof splitProgress>;
export type WrittenPlaylist = ReturnType<typeof splitWritten>[number];

export interface RunSplitDeps {
  spotify: SortSpotify;
  jobs: SortJobRepository;
  now?: () => number;
  /** Waits between retries of a failed save; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: SplitProgress) => void;
  /** Who runs the job, in its lease; unique per run unless a caller has reason to choose. */
  owner?: string;
  /** Writes to different playlists at once (order only matters within one playlist). */
  parallelWrites?: number;
  /** Aborted at shutdown: the run stops after the steps under way and stays resumable. */
  signal?: AbortSignal;
  /** The member's message this run reports to, kept with the job for whoever finishes it. */
  reply?: InteractionReplyRef;
}

export type RunOutcome =
  | { kind: 'done'; job: SortJobRecord; playlists: WrittenPlaylist[] }
  | { kind: 'waiting'; job: SortJobRecord; resumeAt: number; reason: string; written: WrittenPlaylist[] }
  | { kind: 'cancelled'; job: SortJobRecord; written: WrittenPlaylist[] }
  /** The run stopped but the job is intact and resumes by itself (database lost, shutdown, lease lost). */
  | { kind: 'interrupted'; job: SortJobRecord; reason: 'store' | 'shutdown' | 'lease-lost'; written: WrittenPlaylist[] }
  | { kind: 'failed'; job: SortJobRecord; error: UserError | Error; written: WrittenPlaylist[] }
  /** Another runner holds the job's lease: it is already running. */
  | { kind: 'busy'; job: SortJobRecord }
  /** The job is not in a state this caller may run (already done, cancelled, not yet due). */
  | { kind: 'not-runnable'; job: SortJobRecord }
  | { kind: 'missing' };

/** The marker in a created playlist's description that lets any later run find it again. */
export const sourceMarker = (sourcePlaylistId: string) => `encore-src:${sourcePlaylistId}`;

/**
 * How long a runner owns a job without renewing. It renews on every save, so only a runner that
 * died or lost its database lets it lapse; then the resume job takes over.
 */
export const SORT_LEASE_MS = 2 * 60_000;
const SAVE_RETRY_DELAYS_MS = [250, 1_000, 4_000];
const SPOTIFY_OUTAGE_RETRY_MS = 10 * 60_000;
const PARALLEL_WRITES = 4;

/** Confirm may only start a job that is still a preview. */
export const isPreview = (job: SortJobRecord) => job.status === 'previewed';
/** The resume job takes what a restart interrupted and what Spotify's limits paused, once due. */
export const isResumable = (now: number) => (job: SortJobRecord) => job.status === 'running' || (job.status === 'waiting' && (job.resumeAt ?? 0) <= now);

class LeaseLostError extends Error {}
class StoreUnavailableError extends Error {}

/**
 * Runs a split job to the end as its only runner: takes the job's lease atomically (a second
 * Confirm, the resume job or another instance gets `busy`), re-reads the job under it, and
 * persists it before and after every Spotify write, retrying saves that fail. A restart, a lost
 * database or a quota stop therefore resumes exactly where it was, without duplicate playlists or
 * tracks; quota, budget and outages park it as `waiting` with the time it may resume.
 */
export async function runSplitJob(jobId: string, deps: RunSplitDeps, accept: (job: SortJobRecord) => boolean): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  const owner = deps.owner ?? randomUUID();
  const found = await deps.jobs.get(jobId);
  if (!found) return { kind: 'missing' };
  if (!(await deps.jobs.lease(found, owner, SORT_LEASE_MS, now()))) return { kind: 'busy', job: found };
  try {
    // Read again under the lease: the runner that held it before may have moved the job on.
    const job = (await deps.jobs.get(jobId)) ?? found;
    if (!accept(job)) return { kind: 'not-runnable', job };
    return await execute(job, deps, owner);
  } finally {
    await deps.jobs.releaseLease(found, owner).catch(() => undefined);
  }
}

async function execute(job: SortJobRecord, deps: RunSplitDeps, owner: string): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let current: SortJobRecord = { ...job, status: 'running', resumeAt: undefined, error: undefined, reply: deps.reply ?? job.reply };
  const written = () => splitWritten(current.state);

  const withStoreRetry = async <T>(action: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        const delay = SAVE_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw new StoreUnavailableError('the job could not be saved', { cause: error });
        await sleep(delay);
      }
    }
  };
  // Saves go out one at a time, each carrying every change made so far.
  let saving: Promise<unknown> = Promise.resolve();
  const persist = (change: (job: SortJobRecord) => SortJobRecord): Promise<void> => {
    current = change(current);
    const snapshot = current;
    const saved = saving.then(() =>
      withStoreRetry(async () => {
        if (!(await deps.jobs.renewLease(snapshot, owner, SORT_LEASE_MS, now()))) throw new LeaseLostError();
        await deps.jobs.save(snapshot);
      }),
    );
    saving = saved.catch(() => undefined);
    return saved;
  };

  try {
    await persist((j) => j);
  } catch (error) {
    return { kind: 'interrupted', job: current, reason: error instanceof LeaseLostError ? 'lease-lost' : 'store', written: written() };
  }
  const busy = new Map<string, Promise<void>>();
  let failure: unknown;
  let stop: 'cancel' | 'shutdown' | undefined;
  for (;;) {
    if (failure === undefined && stop === undefined) {
      if (deps.signal?.aborted) stop = 'shutdown';
      else if (await withStoreRetry(() => deps.jobs.cancelRequested(job.id)).catch((error: unknown) => ((failure = error), false))) stop = 'cancel';
    }
    const steps = failure === undefined && stop === undefined ? nextSplitSteps(current.state, new Set(busy.keys()), deps.parallelWrites ?? PARALLEL_WRITES) : [];
    if (steps.length === 0 && busy.size === 0) break;
    for (const step of steps) {
      const lane = (async () => {
        await persist((j) => ({ ...j, state: startStep(j.state, step) }));
        const result = await perform(step, current, deps.spotify);
        await persist((j) => ({ ...j, state: finishStep(j.state, step, result) }));
        deps.onProgress?.(splitProgress(current.state));
      })()
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => busy.delete(step.key));
      busy.set(step.key, lane);
    }
    await Promise.race(busy.values());
  }

  const finish = async (record: SortJobRecord, outcome: RunOutcome): Promise<RunOutcome> => {
    try {
      await persist(() => record);
      return outcome;
    } catch (error) {
      return { kind: 'interrupted', job: current, reason: error instanceof LeaseLostError ? 'lease-lost' : 'store', written: written() };
    }
  };
  if (failure instanceof LeaseLostError) return { kind: 'interrupted', job: current, reason: 'lease-lost', written: written() };
  if (failure instanceof StoreUnavailableError) return { kind: 'interrupted', job: current, reason: 'store', written: written() };
  if (failure !== undefined) {
    const resumeAt =
      failure instanceof QuotaExceededError ? failure.resumesAt
      : failure instanceof BudgetExhaustedError ? failure.availableAt
      : failure instanceof RateLimitedError ? failure.retryAt
      : failure instanceof SpotifyUnavailableError ? now() + SPOTIFY_OUTAGE_RETRY_MS
      : undefined;
    if (resumeAt !== undefined) {
      const parked = { ...current, status: 'waiting' as const, resumeAt };
      return finish(parked, { kind: 'waiting', job: parked, resumeAt, reason: (failure as UserError).id, written: written() });
    }
    const failed = { ...current, status: 'failed' as const, error: failure instanceof UserError ? failure.id : 'unexpected' };
    return finish(failed, { kind: 'failed', job: failed, error: failure as Error, written: written() });
  }
  if (stop === 'shutdown') return { kind: 'interrupted', job: current, reason: 'shutdown', written: written() };
  if (stop === 'cancel') {
    const cancelled = { ...current, status: 'cancelled' as const };
    return finish(cancelled, { kind: 'cancelled', job: cancelled, written: written() });
  }
  const done = { ...current, status: 'done' as const, state: finishSplitJob(current.state, now()) };
  return finish(done, { kind: 'done', job: done, playlists: written() });
}

async function perform(step: SplitStep, job: SortJobRecord, spotify: SortSpotify): Promise<SplitStepResult> {
  const marker = sourceMarker(job.sourcePlaylistId);
  switch (step.kind) {
    case 'find-earlier':
      return { kind: 'find-earlier', found: await spotify.earlierPlaylists(step.names, marker) };
    case 'create-playlist':
      return { kind: 'create-playlist', playlistId: await spotify.createPrivatePlaylist(step.playlistName, `Sorted by genre by Encore from “${job.sourceName}”. ${marker}`) };
    case 'add-tracks':
      await spotify.appendItems(step.playlistId, step.uris);
      return { kind: 'add-tracks' };
    case 'count-tracks':
      return { kind: 'count-tracks', total: await spotify.countItems(step.playlistId) };
  }
}
