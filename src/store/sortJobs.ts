import type { JobRecordBase, JobRepository, OrderJobRecord, SortJobRecord, SortJobRepository } from '../app/sort/ports.js';
import { upgradeSplitJob } from '../core/sort/index.js';
import type { Store } from './index.js';

const PREVIEW_TTL_MS = 24 * 60 * 60_000;

/**
 * Sort jobs in keyv, one key per job plus a per-member index (for /unlink). Unfinished jobs are
 * found by iterating the namespace: there are at most a handful per member.
 */
export function createSortJobRepository(store: Store): SortJobRepository {
  return createJobRepository<SortJobRecord>(store, 'sort-jobs', (job) => ({ ...job, state: upgradeSplitJob(job.state) }));
}

/** Reorders that replace a playlist's items, kept like splits and leased over the same key. */
export function createOrderJobRepository(store: Store): JobRepository<OrderJobRecord> {
  return createJobRepository<OrderJobRecord>(store, 'order-jobs', (job) => job);
}

function createJobRepository<R extends JobRecordBase>(store: Store, namespace: string, upgrade: (job: R) => R): JobRepository<R> {
  const jobs = store.namespace<R>(namespace);
  const byUser = store.namespace<string[]>(`${namespace}-by-user`);
  const cancels = store.namespace<true>(`${namespace}-cancels`);
  // One lease for every job on one playlist of one member, splits and reorders alike.
  const leaseId = (job: JobRecordBase) => `${job.discordUserId}:${job.sourcePlaylistId}`;
  const read = (job: R | undefined) => job && upgrade(job);
  return {
    get: async (id) => read(await jobs.get(id)),
    async save(job) {
      // A preview nobody confirms expires; a confirmed job stays until it finishes and a week after.
      const ttl = job.status === 'previewed' ? PREVIEW_TTL_MS : job.status === 'done' || job.status === 'cancelled' ? 7 * PREVIEW_TTL_MS : undefined;
      await jobs.set(job.id, job, ttl);
      const ids = (await byUser.get(job.discordUserId)) ?? [];
      if (!ids.includes(job.id)) await byUser.set(job.discordUserId, [...ids.slice(-49), job.id]);
    },
    async listUnfinished() {
      const out: R[] = [];
      for await (const [, job] of jobs.iterator!(undefined)) {
        const record = job as R | undefined;
        if (record && (record.status === 'running' || record.status === 'waiting')) out.push(read(record)!);
      }
      return out;
    },
    lease: (job, owner, ttlMs, now) => store.leases.acquire('sort', leaseId(job), owner, ttlMs, now),
    renewLease: (job, owner, ttlMs, now) => store.leases.renew('sort', leaseId(job), owner, ttlMs, now),
    releaseLease: (job, owner) => store.leases.release('sort', leaseId(job), owner),
    async requestCancel(jobId) {
      await cancels.set(jobId, true, PREVIEW_TTL_MS);
    },
    cancelRequested: async (jobId) => (await cancels.get(jobId)) === true,
    async deleteForUser(discordUserId) {
      const ids = (await byUser.get(discordUserId)) ?? [];
      for (const id of ids) await Promise.all([jobs.delete(id), cancels.delete(id)]);
      await byUser.delete(discordUserId);
      await store.leases.forget('sort', `${discordUserId}:`);
      return ids.length;
    },
  };
}
