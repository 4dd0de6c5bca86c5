import { sweepMembership, type DepartureRepository, type MembershipDeps } from '../app/social/membership.js';
import type { Job } from './scheduler.js';

/**
 * Every minute, a handful of requests one after the other: the sweep is paced by its schedule
 * (at most SWEEP_CHECKS_PER_RUN a minute, far below Discord's limits, which discord.js's REST
 * queue honours anyway) rather than by sleeping inside a run, and a run never holds the job long.
 */
export const MEMBERSHIP_SWEEP_SCHEDULE = '* * * * *';
/** 20 a minute: 28,800 members (or departures) checked a day per process. */
export const SWEEP_CHECKS_PER_RUN = 20;

export interface MembershipSweepDeps {
  membership: MembershipDeps & { departures: DepartureRepository };
  /** The servers this process's shards hold (another process sweeps its own). */
  guildIds(): string[];
  maxChecks?: number;
  stopped?: () => boolean;
  log?: { info(obj: object, msg: string): void };
}

/**
 * The membership sweep: members who left while Encore was offline, or without the privileged
 * members intent (no GUILD_MEMBER_REMOVE), are found within a few runs and taken off everything
 * their server sees; members who came back get their opt-in back. Servers take turns at the head
 * of the queue, so with more servers than a run's checks every one is reached.
 */
export function membershipSweepJob(deps: MembershipSweepDeps): Job<unknown> {
  let turn = 0;
  return {
    name: 'sweep-membership',
    schedule: MEMBERSHIP_SWEEP_SCHEDULE,
    // Every process sweeps the servers of its own shards.
    once: false,
    async run() {
      const guildIds = [...deps.guildIds()].sort();
      if (!guildIds.length) return;
      const start = turn++ % guildIds.length;
      const result = await sweepMembership(deps.membership, [...guildIds.slice(start), ...guildIds.slice(0, start)], {
        maxChecks: deps.maxChecks ?? SWEEP_CHECKS_PER_RUN,
        stopped: deps.stopped,
      });
      if (result.left || result.rejoined || result.unknown) deps.log?.info({ ...result }, 'membership sweep');
    },
  };
}
