import { orderPlaylist } from './orderPlaylist.js';
import type { ChooseOrderOutcome, OrderChoice, OrderChoiceWatch, SortRunner } from './ports.js';
import { isPreview } from './runSplit.js';
import { isRefusal, ownJob, refused } from './startable.js';

/**
 * The member answered "reorder now or keep the dates?". Replacing runs the stored job (resumable);
 * keeping the dates retires that job and reorders by moves instead; cancel retires it untouched.
 */
export async function chooseOrder(
  runner: Pick<SortRunner, 'orderJobs' | 'runOrder' | 'forMember'>,
  jobId: string,
  discordUserId: string,
  choice: OrderChoice,
  watch: OrderChoiceWatch = {},
): Promise<ChooseOrderOutcome> {
  const job = await ownJob(runner.orderJobs, jobId, discordUserId);
  if (!isPreview(job)) return { kind: 'not-startable', status: job.status };
  if (choice === 'cancel') {
    await runner.orderJobs.save({ ...job, status: 'cancelled' });
    return { kind: 'cancelled' };
  }
  if (choice === 'keep') {
    await runner.orderJobs.save({ ...job, status: 'cancelled' });
    watch.onProgress?.({ written: 0, total: 0, keptDates: true });
    const spotify = await runner.forMember(discordUserId);
    const result = await orderPlaylist(
      { ...job.request, keepDates: true },
      { spotify, jobs: runner.orderJobs, discordUserId },
    );
    return { kind: 'kept', result };
  }
  const outcome = await runner.runOrder(job, isPreview, {
    priority: 'interactive',
    reply: watch.reply,
    onOrderProgress: watch.onProgress,
  });
  return isRefusal(outcome) ? refused(outcome) : outcome;
}
