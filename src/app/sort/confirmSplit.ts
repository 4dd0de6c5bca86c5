import type { InteractionReplyRef, SortRunner } from './ports.js';
import { isPreview, type RunOutcome, type SplitProgress } from './runSplit.js';
import { isRefusal, ownJob, refused, type NotStartable } from './startable.js';

export type ConfirmSplitOutcome = NotStartable | Exclude<RunOutcome, { kind: 'busy' | 'not-runnable' | 'missing' }>;

/** Where a run reports to while the member watches. */
export interface SplitWatch {
  reply?: InteractionReplyRef;
  onProgress?: (progress: SplitProgress) => void;
}

/**
 * Confirm pressed on a split preview: the member's own previewed job runs now, as its only runner,
 * and the outcome says where it ended. A job already running, finished or cancelled is not started.
 */
export async function confirmSplit(
  runner: Pick<SortRunner, 'jobs' | 'run'>,
  jobId: string,
  discordUserId: string,
  watch: SplitWatch = {},
): Promise<ConfirmSplitOutcome> {
  const job = await ownJob(runner.jobs, jobId, discordUserId);
  if (!isPreview(job)) return { kind: 'not-startable', status: job.status };
  const outcome = await runner.run(job, isPreview, { priority: 'interactive', ...watch });
  return isRefusal(outcome) ? refused(outcome) : outcome;
}
