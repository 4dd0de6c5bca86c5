import { isResumable, type RunOutcome, type SortRunner } from '../app/sort/index.js';
import { progressEdits } from '../discord/progress.js';
import {
  orderOutcomeMessage,
  splitFinishedDm,
  splitOutcomeMessage,
  splitProgressMessage,
} from '../discord/messages/sortMessages.js';
import type { MessageModel, Services } from '../app/services.js';
import type { Job } from './scheduler.js';

const PROGRESS_EDIT_MS = 5_000;

/**
 * Finishes sort jobs a restart interrupted or Spotify's limits paused, as background work. Each
 * job is run under its lease, so a sort that a Confirm click (or another instance) is running is
 * left alone. The member's original message follows along while Discord still lets us edit it,
 * and the result arrives by DM.
 */
export function resumeSortsJob(
  services: { sort: SortRunner } & Required<Pick<Services, 'log' | 'sendDm' | 'editOriginalReply'>>,
): Job<unknown> {
  return {
    name: 'resume-sorts',
    schedule: '* * * * *',
    once: false,
    async run(_shared, at) {
      const sort = services.sort;
      const now = at.getTime();
      // The tick's time may be moved (tests, an operator's runNow): the run's clock moves with it.
      const offset = now - Date.now();
      for (const job of (await sort.jobs.listUnfinished()).filter(isResumable(now))) {
        try {
          const edit = (message: MessageModel) =>
            job.reply ? services.editOriginalReply(job.reply, message).catch(() => false) : Promise.resolve(false);
          const progress = progressEdits(edit, { intervalMs: PROGRESS_EDIT_MS });
          const outcome: RunOutcome = await sort
            .run(job, isResumable(now), {
              priority: 'background',
              now: () => Date.now() + offset,
              onProgress: (p) => progress.update(splitProgressMessage(p, job.id, job.discordUserId)),
            })
            .finally(() => progress.flush());
          if (outcome.kind === 'busy' || outcome.kind === 'not-runnable' || outcome.kind === 'missing') continue;
          if (outcome.kind === 'interrupted' || outcome.kind === 'waiting') {
            await edit(splitOutcomeMessage(outcome));
            continue;
          }
          await edit(splitOutcomeMessage(outcome, { background: true }));
          await services.sendDm(job.discordUserId, splitFinishedDm(outcome)).catch(() => undefined);
        } catch (error) {
          services.log.warn({ err: error, job: job.id }, 'could not resume a sort job');
        }
      }
      for (const job of (await sort.orderJobs.listUnfinished()).filter(isResumable(now))) {
        try {
          const outcome = await sort.runOrder(job, isResumable(now), {
            priority: 'background',
            now: () => Date.now() + offset,
          });
          if (outcome.kind === 'busy' || outcome.kind === 'not-runnable' || outcome.kind === 'missing') continue;
          if (job.reply) await services.editOriginalReply(job.reply, orderOutcomeMessage(outcome)).catch(() => false);
          if (outcome.kind === 'done' || outcome.kind === 'failed') {
            const text =
              outcome.kind === 'done'
                ? `✅ I finished reordering **${job.sourceName}**.`
                : `⚠️ I could not finish reordering **${job.sourceName}**. Run /sort on it again.`;
            await services.sendDm(job.discordUserId, { content: text }).catch(() => undefined);
          }
        } catch (error) {
          services.log.warn({ err: error, job: job.id }, 'could not resume a reorder job');
        }
      }
    },
  };
}
