import {
  finishSplitJob,
  finishStep,
  nextSplitSteps,
  splitProgress,
  splitWritten,
  skipEarlierCheck,
  startStep,
  type SplitStep,
  type SplitStepResult,
} from '../../core/sort/index.js';
import {
  BudgetExhaustedError,
  QuotaExceededError,
  RateLimitedError,
  SpotifyUnavailableError,
  UserError,
} from '../../core/errors.js';
import { createPersister, stopReason, underLease } from './leasedRun.js';
import type {
  InteractionReplyRef,
  JobRecordBase,
  RunOutcome,
  SortJobRecord,
  SortJobRepository,
  SortSpotify,
  SortedSourcesRepository,
  SplitProgress,
} from './ports.js';

export interface RunSplitDeps {
  spotify: SortSpotify;
  jobs: SortJobRepository;
  /**
   * The sources each member split. Without it every run looks for playlists an earlier run made
   * (one GET /me/playlists and more); with it only a source the member sorted before is looked for.
   */
  sorted?: SortedSourcesRepository;
  now?: () => number;
  /** Waits between retries of a failed save; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: SplitProgress) => void;
  /** Who runs the job, in its lease; unique per run unless a caller has reason to choose. */
  owner?: string;
  /** Writes to different playlists at once (order only matters within one playlist). */
  parallelWrites?: number;
  /** The job as the caller has just read it: the run then reads it only once, under the lease. */
  job?: SortJobRecord;
  /** Aborted at shutdown: the run stops after the steps under way and stays resumable. */
  signal?: AbortSignal;
  /** The member's message this run reports to, kept with the job for whoever finishes it. */
  reply?: InteractionReplyRef;
}

/** The marker in a created playlist's description that lets any later run find it again. */
export const sourceMarker = (sourcePlaylistId: string) => `encore-src:${sourcePlaylistId}`;

/** The sources named by the markers in these playlist descriptions. */
export const markedSources = (descriptions: readonly string[]): string[] => [
  ...new Set(descriptions.flatMap((d) => [...d.matchAll(/encore-src:([A-Za-z0-9]+)/g)].map((m) => m[1]!))),
];

const SPOTIFY_OUTAGE_RETRY_MS = 10 * 60_000;
// As many as the gateway lets through at once by default; the pacer still governs the rate.
const PARALLEL_WRITES = 6;

/** Confirm may only start a job that is still a preview. */
export const isPreview = (job: JobRecordBase) => job.status === 'previewed';
/** The resume job takes what a restart interrupted and what Spotify's limits paused, once due. */
export const isResumable = (now: number) => (job: JobRecordBase) =>
  job.status === 'running' || (job.status === 'waiting' && (job.resumeAt ?? 0) <= now);

/** When a job stopped by Spotify may run again, or undefined for an error that is not Spotify's limits. */
export function resumeTimeFor(error: unknown, now: number): number | undefined {
  return error instanceof QuotaExceededError
    ? error.resumesAt
    : error instanceof BudgetExhaustedError
      ? error.availableAt
      : error instanceof RateLimitedError
        ? error.retryAt
        : error instanceof SpotifyUnavailableError
          ? now + SPOTIFY_OUTAGE_RETRY_MS
          : undefined;
}

/**
 * Runs a split job to the end as its only runner (see underLease: a second Confirm, the resume
 * job or another instance gets `busy`), persisting it before and after every Spotify write and
 * retrying saves that fail. A restart, a lost database or a quota stop therefore resumes exactly
 * where it was, without duplicate playlists or tracks; quota, budget and outages park it as
 * `waiting` with the time it may resume.
 */
export async function runSplitJob(
  jobId: string,
  deps: RunSplitDeps,
  accept: (job: SortJobRecord) => boolean,
): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  return underLease(deps.jobs, jobId, { owner: deps.owner, now, accept, known: deps.job }, (job, owner) =>
    execute(job, deps, owner),
  );
}

async function execute(job: SortJobRecord, deps: RunSplitDeps, owner: string): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  const saver = createPersister(
    deps.jobs,
    { ...job, status: 'running', resumeAt: undefined, error: undefined, reply: deps.reply ?? job.reply },
    { owner, now, sleep: deps.sleep },
  );
  const written = () => splitWritten(saver.current.state);
  const interrupted = (error: unknown): RunOutcome => ({
    kind: 'interrupted',
    job: saver.current,
    reason: stopReason(error) ?? 'store',
    written: written(),
  });

  const busy = new Map<string, Promise<void>>();
  let failure: unknown;
  let stop: 'cancel' | 'shutdown' | undefined;
  let cancelRequested = false;
  // Asked after every step, beside the save that records it rather than after it: the answer is
  // in before the next steps are chosen, and no step waits for it alone. Like saves, steps that end
  // while a check is under way share the next one (which starts after they ended).
  let checking: Promise<void> | undefined;
  let nextCheck: Promise<void> | undefined;
  const checkCancel = (): Promise<void> =>
    (nextCheck ??= (checking ?? Promise.resolve()).then(() => {
      nextCheck = undefined;
      return (checking = saver
        .withStoreRetry(() => deps.jobs.cancelRequested(job.id))
        .then(
          (yes) => void (cancelRequested ||= yes),
          (error: unknown) => void (failure ??= error),
        ));
    }));
  try {
    const [firstSort] = await Promise.all([
      deps.sorted ? markSource(job, deps.sorted, saver.withStoreRetry) : false,
      checkCancel(),
    ]);
    await saver.persist((j) => (firstSort ? { ...j, state: skipEarlierCheck(j.state) } : j));
  } catch (error) {
    return interrupted(error);
  }
  for (;;) {
    if (failure === undefined && stop === undefined) {
      if (deps.signal?.aborted) stop = 'shutdown';
      else if (cancelRequested) stop = 'cancel';
    }
    const steps =
      failure === undefined && stop === undefined
        ? nextSplitSteps(saver.current.state, new Set(busy.keys()), deps.parallelWrites ?? PARALLEL_WRITES)
        : [];
    if (steps.length === 0 && busy.size === 0) break;
    for (const step of steps) {
      const lane = (async () => {
        await saver.persist((j) => ({ ...j, state: startStep(j.state, step) }));
        const result = await perform(step, saver.current, deps.spotify, deps.sorted);
        await Promise.all([saver.persist((j) => ({ ...j, state: finishStep(j.state, step, result) })), checkCancel()]);
        deps.onProgress?.(splitProgress(saver.current.state));
      })()
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => busy.delete(step.key));
      busy.set(step.key, lane);
    }
    await Promise.race(busy.values());
  }

  const finish = async (record: SortJobRecord, outcome: RunOutcome): Promise<RunOutcome> => {
    try {
      await saver.persist(() => record);
      return outcome;
    } catch (error) {
      return interrupted(error);
    }
  };
  if (stopReason(failure)) return interrupted(failure);
  if (failure !== undefined) {
    const resumeAt = resumeTimeFor(failure, now());
    if (resumeAt !== undefined) {
      const parked = { ...saver.current, status: 'waiting' as const, resumeAt };
      return finish(parked, {
        kind: 'waiting',
        job: parked,
        resumeAt,
        reason: (failure as UserError).id,
        written: written(),
      });
    }
    const failed = {
      ...saver.current,
      status: 'failed' as const,
      error: failure instanceof UserError ? failure.id : 'unexpected',
    };
    return finish(failed, { kind: 'failed', job: failed, error: failure as Error, written: written() });
  }
  if (stop === 'shutdown') return { kind: 'interrupted', job: saver.current, reason: 'shutdown', written: written() };
  if (stop === 'cancel') {
    const cancelled = { ...saver.current, status: 'cancelled' as const };
    return finish(cancelled, { kind: 'cancelled', job: cancelled, written: written() });
  }
  const done = { ...saver.current, status: 'done' as const, state: finishSplitJob(saver.current.state, now()) };
  return finish(done, { kind: 'done', job: done, playlists: written() });
}

/**
 * Records the source as sorted before the save that starts the job (so a crash after any create
 * still leaves the mark for the next sort), and answers whether this is surely the member's first
 * sort of it: then no earlier run can have left playlists to look for.
 */
async function markSource(
  job: SortJobRecord,
  sorted: SortedSourcesRepository,
  withStoreRetry: <T>(action: () => Promise<T>) => Promise<T>,
): Promise<boolean> {
  const seen = await withStoreRetry(() => sorted.lookup(job.discordUserId, job.sourcePlaylistId));
  if (seen.sorted) return false;
  await withStoreRetry(() => sorted.mark(job.discordUserId, job.sourcePlaylistId));
  return seen.known;
}

async function perform(
  step: SplitStep,
  job: SortJobRecord,
  spotify: SortSpotify,
  sorted: SortedSourcesRepository | undefined,
): Promise<SplitStepResult> {
  const marker = sourceMarker(job.sourcePlaylistId);
  switch (step.kind) {
    case 'find-earlier': {
      if (!sorted || !spotify.findEarlier)
        return { kind: 'find-earlier', found: await spotify.earlierPlaylists(step.names, marker) };
      const { found, ownDescriptions } = await spotify.findEarlier(step.names, marker);
      // Every source the member's playlists name: from now on only those are looked for again.
      await sorted.seed(job.discordUserId, markedSources(ownDescriptions)).catch(() => undefined);
      return { kind: 'find-earlier', found };
    }
    case 'create-playlist':
      return {
        kind: 'create-playlist',
        playlistId: await spotify.createPrivatePlaylist(
          step.playlistName,
          `Sorted by genre by Encore from “${job.sourceName}”. ${marker}`,
        ),
      };
    case 'add-tracks':
      await spotify.appendItems(step.playlistId, step.uris);
      return { kind: 'add-tracks' };
    case 'count-tracks':
      return { kind: 'count-tracks', total: await spotify.countItems(step.playlistId) };
  }
}
