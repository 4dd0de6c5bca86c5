import { randomUUID } from 'node:crypto';
import { splitWritten } from '../../core/sort/index.js';
import { UserError } from '../../core/errors.js';
import type { CancelAnswer, SortJobRepository } from './ports.js';
import { SORT_LEASE_MS } from './leasedRun.js';

/**
 * Cancel or Stop pressed. With nobody running the job, it is settled here under its lease; while a
 * runner holds it, the runner is asked to stop at its next step and reports what was written. A
 * finished job is never changed.
 */
export async function cancelSort(
  jobs: SortJobRepository,
  jobId: string,
  discordUserId: string,
  now: () => number = Date.now,
): Promise<CancelAnswer> {
  const job = await jobs.get(jobId);
  if (!job || job.discordUserId !== discordUserId) throw new UserError('sort.jobGone');
  if (job.status === 'done') return { kind: 'already-done', written: splitWritten(job.state) };
  if (job.status === 'cancelled' || job.status === 'failed') return { kind: 'already-cancelled' };
  const owner = randomUUID();
  if (!(await jobs.lease(job, owner, SORT_LEASE_MS, now()))) {
    await jobs.requestCancel(jobId);
    return { kind: 'stopping' };
  }
  try {
    const fresh = (await jobs.get(jobId)) ?? job;
    switch (fresh.status) {
      case 'done':
        return { kind: 'already-done', written: splitWritten(fresh.state) };
      case 'cancelled':
      case 'failed':
        return { kind: 'already-cancelled' };
      case 'previewed':
        await jobs.save({ ...fresh, status: 'cancelled' });
        return { kind: 'cancelled-preview' };
      case 'running':
      case 'waiting':
        // Parked or orphaned by a crash: nobody is writing, so it stops right here.
        await jobs.save({ ...fresh, status: 'cancelled' });
        return { kind: 'stopped', written: splitWritten(fresh.state) };
    }
  } finally {
    await jobs.releaseLease(job, owner).catch(() => undefined);
  }
}
