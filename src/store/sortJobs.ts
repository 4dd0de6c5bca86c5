import type {
  JobRecordBase,
  JobRepository,
  OrderJobRecord,
  SortJobRecord,
  SortJobRepository,
} from '../app/sort/ports.js';
import { upgradeSplitJob } from '../core/sort/index.js';
import type { Store } from './index.js';

const PREVIEW_TTL_MS = 24 * 60 * 60_000;

/**
 * The part of a job that is big and almost never changes (the URIs to write, up to 10,000), kept
 * under its own key so the saves before and after every write carry only the small progress.
 */
interface PlanCodec<R> {
  /** The plan's arrays; the same array objects mean the same plan (job state is updated immutably). */
  parts(job: R): ReadonlyArray<readonly string[]>;
  strip(job: R): R;
  merge(slim: R, parts: ReadonlyArray<readonly string[]>): R;
}

const splitPlan: PlanCodec<SortJobRecord> = {
  parts: (job) => job.state.targets.map((t) => t.trackUris),
  strip: (job) => ({
    ...job,
    state: { ...job.state, targets: job.state.targets.map((t) => ({ ...t, trackUris: [] })) },
  }),
  merge: (slim, parts) => ({
    ...slim,
    state: { ...slim.state, targets: slim.state.targets.map((t, i) => ({ ...t, trackUris: parts[i] ?? [] })) },
  }),
};

const orderPlan: PlanCodec<OrderJobRecord> = {
  parts: (job) => [job.state.targetUris],
  strip: (job) => ({ ...job, state: { ...job.state, targetUris: [] } }),
  merge: (slim, parts) => ({ ...slim, state: { ...slim.state, targetUris: parts[0] ?? [] } }),
};

/**
 * Sort jobs in keyv, one key per job plus a per-member index (for /unlink). Unfinished jobs are
 * found by iterating the namespace: there are at most a handful per member.
 */
export function createSortJobRepository(store: Store): SortJobRepository {
  return createJobRepository<SortJobRecord>(store, 'sort-jobs', splitPlan, (job) => ({
    ...job,
    state: upgradeSplitJob(job.state),
  }));
}

/** Reorders that replace a playlist's items, kept like splits and leased over the same key. */
export function createOrderJobRepository(store: Store): JobRepository<OrderJobRecord> {
  return createJobRepository<OrderJobRecord>(store, 'order-jobs', orderPlan, (job) => job);
}

type Stored<R> = R & { planStored?: true };

function createJobRepository<R extends JobRecordBase>(
  store: Store,
  namespace: string,
  plan: PlanCodec<R>,
  upgrade: (job: R) => R,
): JobRepository<R> {
  const jobs = store.namespace<Stored<R>>(namespace);
  const plans = store.namespace<ReadonlyArray<readonly string[]>>(`${namespace}-plans`);
  const byUser = store.namespace<string[]>(`${namespace}-by-user`);
  const cancels = store.namespace<true>(`${namespace}-cancels`);
  /** Plan arrays this process knows are in the database, so a save need not write them again. */
  const storedPlans = new WeakSet<readonly string[]>();
  const indexed = new Set<string>();
  // One lease for every job on one playlist of one member, splits and reorders alike.
  const leaseId = (job: JobRecordBase) => `${job.discordUserId}:${job.sourcePlaylistId}`;
  const read = async (stored: Stored<R> | undefined): Promise<R | undefined> => {
    if (!stored) return undefined;
    const { planStored, ...record } = stored;
    // A record saved whole (by the previous release) carries its own plan.
    if (!planStored) return upgrade(record as unknown as R);
    const parts = (await plans.get(record.id)) ?? [];
    for (const part of parts) storedPlans.add(part);
    return upgrade(plan.merge(record as unknown as R, parts));
  };
  return {
    // The record, then its plan, not side by side: a save writes the plan first, so the plan read
    // is never older than the record.
    get: async (id) => read(await jobs.get(id)),
    async save(job) {
      // A preview nobody confirms expires; a confirmed job stays until it finishes and a week after.
      const ttl =
        job.status === 'previewed'
          ? PREVIEW_TTL_MS
          : job.status === 'done' || job.status === 'cancelled'
            ? 7 * PREVIEW_TTL_MS
            : undefined;
      const parts = plan.parts(job);
      // The plan goes first: a record that says planStored always finds its plan.
      if (!parts.every((part) => storedPlans.has(part))) {
        await plans.set(job.id, parts, ttl ?? 30 * PREVIEW_TTL_MS);
        for (const part of parts) storedPlans.add(part);
      }
      const index = async () => {
        if (indexed.has(job.id)) return;
        const ids = (await byUser.get(job.discordUserId)) ?? [];
        if (!ids.includes(job.id)) await byUser.set(job.discordUserId, [...ids.slice(-49), job.id]);
        indexed.add(job.id);
      };
      // The member's index beside the record: save resolves once both are in.
      await Promise.all([jobs.set(job.id, { ...plan.strip(job), planStored: true }, ttl), index()]);
    },
    async listUnfinished() {
      const out: R[] = [];
      for await (const [, job] of jobs.iterator!(undefined)) {
        const record = job as Stored<R> | undefined;
        if (record && (record.status === 'running' || record.status === 'waiting')) out.push((await read(record))!);
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
      for (const id of ids) {
        await Promise.all([jobs.delete(id), plans.delete(id), cancels.delete(id)]);
        indexed.delete(id);
      }
      await byUser.delete(discordUserId);
      await store.leases.forget('sort', `${discordUserId}:`);
      return ids.length;
    },
  };
}
