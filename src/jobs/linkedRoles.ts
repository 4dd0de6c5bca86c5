import { refreshRoleConnections, type LinkedRolesDeps, type RefreshPacing } from '../app/linkedRoles/linkedRoles.js';
import type { Logger } from '../log.js';
import type { Job } from './scheduler.js';

/**
 * The figures move with the collector (every ~20 minutes) and hours are whole: a push every 15
 * minutes at most per member keeps roles current without nearing Discord's per-user limits.
 */
export const LINKED_ROLES_SCHEDULE = '*/15 * * * *';

/** Pushes each connected member's Linked Roles values where they changed; one instance per tick. */
export function refreshLinkedRolesJob(deps: LinkedRolesDeps, pacing: RefreshPacing, log: Logger): Job<unknown> {
  return {
    name: 'refresh-linked-roles',
    schedule: LINKED_ROLES_SCHEDULE,
    async run(_deps, now) {
      const counts = await refreshRoleConnections(deps, now.getTime(), pacing);
      if (counts.pushed || counts.gone || counts.rateLimited) log.info(counts, 'linked roles refreshed');
    },
  };
}
