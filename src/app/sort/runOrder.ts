import {
  finishOrderStep,
  nextOrderStep,
  orderProgress,
  startOrderStep,
  type OrderStep,
  type OrderStepResult,
} from '../../core/sort/index.js';
import { UserError } from '../../core/errors.js';
import { createPersister, stopReason, underLease } from './leasedRun.js';
import type { InteractionReplyRef, OrderJobRecord, OrderJobRepository, OrderRunOutcome, SortSpotify } from './ports.js';
import { resumeTimeFor } from './runSplit.js';

const UNEXPECTED_ERROR_ATTEMPTS = 5;
const UNEXPECTED_ERROR_RETRY_MS = 5 * 60_000;

export interface RunOrderDeps {
  spotify: SortSpotify;
  jobs: OrderJobRepository;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  owner?: string;
  signal?: AbortSignal;
  reply?: InteractionReplyRef;
  onProgress?: (progress: ReturnType<typeof orderProgress>) => void;
}

/**
 * Reorders a playlist by replacing its items, as a resumable job under the same one-runner lease
 * as splits: persisted before and after every write, so a crash or a failed call at any write
 * ends, once resumed, with the whole playlist in the new order (never with only its first 100).
 */
export async function runOrderJob(
  jobId: string,
  deps: RunOrderDeps,
  accept: (job: OrderJobRecord) => boolean,
): Promise<OrderRunOutcome> {
  const now = deps.now ?? Date.now;
  return underLease(deps.jobs, jobId, { owner: deps.owner, now, accept }, async (job, owner) => {
    const saver = createPersister(
      deps.jobs,
      { ...job, status: 'running', resumeAt: undefined, error: undefined, reply: deps.reply ?? job.reply },
      { owner, now, sleep: deps.sleep },
    );
    let failure: unknown;
    try {
      await saver.persist((j) => j);
      for (
        let step = nextOrderStep(saver.current.state);
        step.kind !== 'done';
        step = nextOrderStep(saver.current.state)
      ) {
        if (deps.signal?.aborted) return { kind: 'interrupted', job: saver.current, reason: 'shutdown' };
        const current = step;
        await saver.persist((j) => ({ ...j, state: startOrderStep(j.state, current) }));
        const result = await perform(current, deps.spotify);
        await saver.persist((j) => ({ ...j, state: finishOrderStep(j.state, current, result, now()) }));
        deps.onProgress?.(orderProgress(saver.current.state));
      }
      const done = {
        ...saver.current,
        status: 'done' as const,
        state: finishOrderStep(saver.current.state, { kind: 'done' }, undefined, now()),
      };
      await saver.persist(() => done);
      return { kind: 'done', job: done };
    } catch (error) {
      failure = error;
    }
    const reason = stopReason(failure);
    if (reason) return { kind: 'interrupted', job: saver.current, reason };
    // A half-replaced playlist is worse than a failed command: unexpected errors are retried a few
    // times too (a write that answered 500 may well have landed; verify sorts that out).
    const attempts = (saver.current.failedAttempts ?? 0) + 1;
    const retryUnexpected = !(failure instanceof UserError) && attempts < UNEXPECTED_ERROR_ATTEMPTS;
    const resumeAt = resumeTimeFor(failure, now()) ?? (retryUnexpected ? now() + UNEXPECTED_ERROR_RETRY_MS : undefined);
    const parked: OrderJobRecord =
      resumeAt !== undefined
        ? { ...saver.current, status: 'waiting', resumeAt, failedAttempts: attempts }
        : { ...saver.current, status: 'failed', error: failure instanceof UserError ? failure.id : 'unexpected' };
    try {
      await saver.persist(() => parked);
    } catch (error) {
      return { kind: 'interrupted', job: saver.current, reason: stopReason(error) ?? 'store' };
    }
    return resumeAt !== undefined
      ? { kind: 'waiting', job: parked, resumeAt }
      : { kind: 'failed', job: parked, error: failure as Error };
  });
}

async function perform(step: Exclude<OrderStep, { kind: 'done' }>, spotify: SortSpotify): Promise<OrderStepResult> {
  switch (step.kind) {
    case 'replace':
      return { kind: 'replace', snapshotId: await spotify.replaceItems(step.playlistId, step.uris) };
    case 'append':
      return { kind: 'append', snapshotId: await spotify.appendItems(step.playlistId, step.uris) };
    case 'verify': {
      const playlist = await spotify.playlist(step.playlistId);
      return { kind: 'verify', snapshotId: playlist.snapshotId, total: playlist.total };
    }
  }
}
