import { refreshServerCrowns, type SocialDeps } from '../app/social/social.js';
import type { Logger } from '../log.js';
import type { Job } from './scheduler.js';

/** Crowns move as members listen: checked twice an hour (and at once for an artist in /whoknows). */
export const CROWNS_SCHEDULE = '*/30 * * * *';

/** Every process refreshes the servers its own shards hold (another process's cache lacks them). */
export function refreshCrownsJob(deps: SocialDeps, guildIds: () => string[], log: Logger): Job<unknown> {
  return {
    name: 'refresh-crowns',
    schedule: CROWNS_SCHEDULE,
    once: false,
    async run() {
      const changes = await refreshServerCrowns(deps, guildIds());
      if (changes.length) log.info({ changes: changes.length }, 'crowns changed hands');
    },
  };
}
