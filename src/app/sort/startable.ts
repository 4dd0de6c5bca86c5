import { UserError } from '../../core/errors.js';
import type { JobRecordBase, JobRepository, LeaseRefusal, NotStartable } from './ports.js';

export const isNotStartable = (outcome: unknown): outcome is NotStartable =>
  (outcome as Partial<NotStartable> | undefined)?.kind === 'not-startable';

/** The member's own job; anyone else's, or one that is gone (/unlink, expired), is "gone" to them. */
export async function ownJob<R extends JobRecordBase>(
  jobs: Pick<JobRepository<R>, 'get'>,
  jobId: string,
  discordUserId: string,
): Promise<R> {
  const job = await jobs.get(jobId);
  if (!job || job.discordUserId !== discordUserId) throw new UserError('sort.jobGone');
  return job;
}

/** A run the lease turned away, as the member hears it: another runner has it, or it moved on. */
export function refused<R extends JobRecordBase>(refusal: LeaseRefusal<R>): NotStartable {
  if (refusal.kind === 'missing') throw new UserError('sort.jobGone');
  return { kind: 'not-startable', status: refusal.kind === 'busy' ? 'running' : refusal.job.status };
}

export const isRefusal = <R, O extends { kind: string }>(outcome: O | LeaseRefusal<R>): outcome is LeaseRefusal<R> =>
  outcome.kind === 'busy' || outcome.kind === 'not-runnable' || outcome.kind === 'missing';
