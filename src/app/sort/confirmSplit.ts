import type { ConfirmSplitOutcome, SortRunner, SplitWatch } from './ports.js';
import { isPreview } from './runSplit.js';
import { isRefusal, ownJob, refused } from './startable.js';

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
