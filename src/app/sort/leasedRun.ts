import { randomUUID } from 'node:crypto';
import type { JobRecordBase, JobRepository, LeaseRefusal } from './ports.js';

/**
 * How long a runner owns a job without renewing. It renews on every save, so only a runner that
 * died or lost its database lets it lapse; then the resume job takes over.
 */
export const SORT_LEASE_MS = 2 * 60_000;
const SAVE_RETRY_DELAYS_MS = [250, 1_000, 4_000];
const RENEW_EVERY_MS = SORT_LEASE_MS / 6;

/** Another runner took the job over: this one must stop writing at once. */
export class LeaseLostError extends Error {}
/** The database did not take a save after the retries. */
export class StoreUnavailableError extends Error {}

/**
 * Runs `body` as the job's only runner: takes the lease atomically (anyone else gets `busy`),
 * re-reads the job under it (the runner before may have moved it on), checks `accept`, and gives
 * the lease back at the end. `known`, the record the caller has just read, spares the read before
 * the lease: then the job is read once, under it.
 */
export async function underLease<R extends JobRecordBase, O>(
  jobs: JobRepository<R>,
  jobId: string,
  options: { owner?: string; now: () => number; accept: (job: R) => boolean; known?: R },
  body: (job: R, owner: string) => Promise<O>,
): Promise<O | LeaseRefusal<R>> {
  const owner = options.owner ?? randomUUID();
  const found = options.known?.id === jobId ? options.known : await jobs.get(jobId);
  if (!found) return { kind: 'missing' };
  // A job this caller may not run is turned away without touching the lease: holding it even
  // briefly would tell a Confirm click arriving meanwhile that the sort is "already running".
  if (!options.accept(found)) return { kind: 'not-runnable', job: found };
  if (!(await jobs.lease(found, owner, SORT_LEASE_MS, options.now()))) return { kind: 'busy', job: found };
  try {
    const job = (await jobs.get(jobId)) ?? found;
    if (!options.accept(job)) return { kind: 'not-runnable', job };
    return await body(job, owner);
  } finally {
    await jobs.releaseLease(found, owner).catch(() => undefined);
  }
}

/**
 * Saves a job record one save at a time, each carrying every change made so far, renewing the
 * lease first and retrying a save the database refused (a restart, a network blip).
 */
export function createPersister<R extends JobRecordBase>(
  jobs: JobRepository<R>,
  initial: R,
  options: { owner: string; now: () => number; sleep?: (ms: number) => Promise<void> },
) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let current = initial;
  // The caller has just taken the lease; the first save renews it anyway, to be sure it still holds.
  let renewedAt = Number.NEGATIVE_INFINITY;
  let saving: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
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
  return {
    get current() {
      return current;
    },
    withStoreRetry,
    /**
     * Applies a change and resolves once a save holding it is in the database. Changes made while
     * a save is under way share the next save: parallel writes cost one save, not one each.
     */
    persist(change: (job: R) => R): Promise<void> {
      current = change(current);
      queued ??= (saving ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          const snapshot = current;
          saving = withStoreRetry(async () => {
            // Nobody can take a lease renewed less than a sixth of its life ago, so most saves
            // skip the renewal: one query per save instead of two.
            const at = options.now();
            if (at - renewedAt >= RENEW_EVERY_MS) {
              if (!(await jobs.renewLease(snapshot, options.owner, SORT_LEASE_MS, at))) throw new LeaseLostError();
              renewedAt = at;
            }
            await jobs.save(snapshot);
          });
          return saving;
        });
      return queued;
    },
  };
}

/** Why a run stopped without finishing, when it was the store or the lease rather than Spotify. */
export const stopReason = (error: unknown): 'lease-lost' | 'store' | undefined =>
  error instanceof LeaseLostError ? 'lease-lost' : error instanceof StoreUnavailableError ? 'store' : undefined;
