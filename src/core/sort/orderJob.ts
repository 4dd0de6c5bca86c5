import { URIS_PER_WRITE } from './requestEstimate.js';

/**
 * The replace path of `/sort mode:order` as a resumable job, in plain, JSON-serialisable data.
 * PUT the first batch (≤ 100 URIs, replacing every item), then POST each further batch at the
 * end, until the playlist holds `targetUris` exactly. The runner loops exactly as for a split:
 * step = nextOrderStep(state); state = startOrderStep(state, step); persist; call Spotify;
 * state = finishOrderStep(state, step, result, now); persist.
 *
 * A crash (or a failed call) between start and finish leaves the write in `inFlight`. The runner
 * must not call finishOrderStep for a write that failed: the write may still have landed.
 * nextOrderStep then asks to `verify` (read the playlist's snapshot id and item total) instead of
 * repeating the write, and finishOrderStep decides from that answer:
 * - the snapshot is still the last one we know (the planned one, or the one our last write
 *   returned): the write did not land. A replace is done again; an append is done again if the
 *   total is what we had written before it.
 * - the snapshot changed: the write landed, and the total must be what it makes (the first batch
 *   after a replace, written + batch after an append).
 * - anything else (a total we do not expect): the job starts over with a replace, which is always
 *   safe since it resets the playlist to the first batch. We never append on an unknown state.
 * This reading assumes the member does not edit the playlist while the job runs (the only writer
 * is this job); if they do, the fallback replace still ends with exactly the target order.
 */
export interface OrderJobState {
  readonly version: 1;
  readonly jobId: string;
  readonly playlistId: string;
  /** Every URI of the playlist in the new order, duplicates kept (a playlist can hold a track twice). */
  readonly targetUris: readonly string[];
  /** The playlist's snapshot id when the order was planned. */
  readonly plannedSnapshotId: string;
  /** The latest snapshot id we know of: the planned one, then each write's or verification's answer. */
  readonly snapshotId: string;
  /**
   * How many of targetUris are known to be in the playlist, always a prefix. 0 means the replace
   * has not landed (or has to be done again): the playlist's content is then not ours to count.
   */
  readonly written: number;
  readonly inFlight?: OrderWriteStep | OrderVerifyStep;
  readonly finishedAt?: number;
}

/** PUT /playlists/{id}/items with these URIs (≤ 100): every item replaced by the first batch. */
export interface OrderReplaceStep {
  readonly kind: 'replace';
  readonly playlistId: string;
  readonly uris: readonly string[];
}

/** POST /playlists/{id}/items with these URIs (≤ 100), at the end; `offset` is their position. */
export interface OrderAppendStep {
  readonly kind: 'append';
  readonly playlistId: string;
  readonly offset: number;
  readonly uris: readonly string[];
}

export type OrderWriteStep = OrderReplaceStep | OrderAppendStep;

/** A write may or may not have landed before a crash: read the playlist's snapshot id and item total. */
export interface OrderVerifyStep {
  readonly kind: 'verify';
  readonly playlistId: string;
  /** The write that was in flight. */
  readonly interrupted: OrderWriteStep;
}

export type OrderStep = OrderWriteStep | OrderVerifyStep | { readonly kind: 'done' };

export type OrderStepResult =
  | { readonly kind: 'replace'; readonly snapshotId: string }
  | { readonly kind: 'append'; readonly snapshotId: string }
  | { readonly kind: 'verify'; readonly snapshotId: string; readonly total: number };

/** A new job: the target order (from a replace plan: `plan.batches.flat()`) and the snapshot it was planned on. */
export function startOrderJob(
  jobId: string,
  playlistId: string,
  targetUris: readonly string[],
  plannedSnapshotId: string,
): OrderJobState {
  if (targetUris.length === 0) throw new RangeError('a replace job needs at least one URI');
  return {
    version: 1,
    jobId,
    playlistId,
    targetUris: [...targetUris],
    plannedSnapshotId,
    snapshotId: plannedSnapshotId,
    written: 0,
  };
}

/** What the runner should do next: verify an interrupted write, else replace, then append batch by batch. */
export function nextOrderStep(state: OrderJobState): OrderStep {
  const interrupted = state.inFlight;
  if (interrupted?.kind === 'verify') return interrupted;
  if (interrupted) return { kind: 'verify', playlistId: state.playlistId, interrupted };
  const { written, targetUris, playlistId } = state;
  if (written === 0) return { kind: 'replace', playlistId, uris: targetUris.slice(0, URIS_PER_WRITE) };
  if (written < targetUris.length)
    return { kind: 'append', playlistId, offset: written, uris: targetUris.slice(written, written + URIS_PER_WRITE) };
  return { kind: 'done' };
}

/** Marks a step as under way; persist this before making the call. */
export function startOrderStep(state: OrderJobState, step: OrderStep): OrderJobState {
  return step.kind === 'done' ? state : { ...state, inFlight: step };
}

/** How many URIs are known written after verifying an interrupted write; 0 means replace again. */
function writtenAfter(
  interrupted: OrderWriteStep,
  knownSnapshotId: string,
  observed: { snapshotId: string; total: number },
): number {
  const landed = observed.snapshotId !== knownSnapshotId;
  if (interrupted.kind === 'replace')
    return landed && observed.total === interrupted.uris.length ? interrupted.uris.length : 0;
  if (!landed) return observed.total === interrupted.offset ? interrupted.offset : 0;
  const after = interrupted.offset + interrupted.uris.length;
  return observed.total === after ? after : 0;
}

function settled(state: OrderJobState, written: number, snapshotId: string): OrderJobState {
  const { inFlight: _done, ...rest } = state;
  return { ...rest, written, snapshotId };
}

/** Records what Spotify answered; persist this right after the call. Only for calls that succeeded. */
export function finishOrderStep(
  state: OrderJobState,
  step: OrderStep,
  result: OrderStepResult | undefined,
  now: number,
): OrderJobState {
  if (step.kind === 'done') return state.finishedAt ? state : { ...state, finishedAt: now };
  if (step.kind === 'replace' && result?.kind === 'replace') return settled(state, step.uris.length, result.snapshotId);
  if (step.kind === 'append' && result?.kind === 'append')
    return settled(state, step.offset + step.uris.length, result.snapshotId);
  if (step.kind === 'verify' && result?.kind === 'verify')
    return settled(state, writtenAfter(step.interrupted, state.snapshotId, result), result.snapshotId);
  throw new TypeError(`result ${result?.kind ?? 'undefined'} does not answer step ${step.kind}`);
}

/** Progress for the reply: URIs known written in the new order, of all of them. */
export function orderProgress(state: OrderJobState): { written: number; total: number } {
  return { written: state.written, total: state.targetUris.length };
}

/** Write calls the replace path makes for a playlist of this many items (one replace, then appends), for the confirmation. */
export function replaceWriteCount(itemCount: number): number {
  return Math.ceil(Math.max(0, itemCount) / URIS_PER_WRITE);
}
