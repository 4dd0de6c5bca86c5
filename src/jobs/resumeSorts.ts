import { runSplitJob } from '../app/sort/index.js';
import type { Services } from '../discord/services.js';
import type { Job } from './scheduler.js';

const running = new Set<string>();

/**
 * Finishes sort jobs a restart interrupted or Spotify's limits paused, as background work, and
 * DMs the member when one is done.
 */
export const resumeSorts: Job<{ services: Services; now?: () => number }> = {
  name: 'resume-sorts',
  schedule: '* * * * *',
  once: false,
  async run({ services, now = Date.now }) {
    const sort = services.sort;
    if (!sort) return;
    for (const job of await sort.jobs.listUnfinished()) {
      if (running.has(job.id) || (job.status === 'waiting' && (job.resumeAt ?? 0) > now())) continue;
      running.add(job.id);
      try {
        const outcome = await runSplitJob(job, { spotify: await sort.forMember(job.discordUserId, 'background'), jobs: sort.jobs });
        if (outcome.kind === 'done') {
          const list = outcome.playlists.map((p) => `• ${p.name} — ${p.tracks} tracks`).join('\n');
          await services.sendDm?.(job.discordUserId, { content: `✅ Your sort of **${job.sourceName}** is finished:\n${list}`.slice(0, 2000) }).catch(() => undefined);
        }
      } catch (error) {
        services.log.warn({ err: error, job: job.id }, 'could not resume a sort job');
      } finally {
        running.delete(job.id);
      }
    }
  },
};
