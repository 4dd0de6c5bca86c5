import { isVisibleIn, privacyOf, setVisibleIn } from '../privacy/privacy.js';
import type { DepartureRepository, MembershipDeps } from './ports.js';

export type { DepartureRepository, GuildPresence, MembershipDeps } from './ports.js';

/**
 * Checks the members about to be shown in a server and withdraws the visibility of those who left
 * (their opt-in was for a server they are no longer in). Returns who left.
 */
export async function withdrawGone(
  deps: MembershipDeps,
  guildId: string,
  memberIds: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(memberIds)];
  const answers = await Promise.all(unique.map((id) => deps.presence.isMember(guildId, id)));
  const gone = unique.filter((_, i) => !answers[i]);
  for (const memberId of gone) await memberLeft(deps, guildId, memberId);
  return gone;
}

/**
 * A member left the server (Discord's GUILD_MEMBER_REMOVE, the sweep, or a check before naming
 * them): when they had opted in here, they are taken off everything the server sees (the privacy
 * store and its SQL mirror) and the departure is remembered, so rejoining gives the opt-in back.
 * True when they were visible here.
 */
export async function memberLeft(
  deps: Pick<MembershipDeps, 'privacy' | 'presence' | 'departures' | 'now'>,
  guildId: string,
  memberId: string,
): Promise<boolean> {
  deps.presence.forget?.(guildId, memberId);
  if (!isVisibleIn(await privacyOf(deps.privacy, memberId), guildId)) return false;
  // Withdrawn first: a failure before the departure is recorded leaves them hidden, never shown.
  await setVisibleIn(deps.privacy, memberId, guildId, false);
  await deps.departures?.recordDeparture(guildId, memberId, (deps.now ?? Date.now)());
  return true;
}

/**
 * A member is in the server again (GUILD_MEMBER_ADD, or the sweep found them back): an opt-in their
 * departure withdrew is given back. True when it was.
 */
export async function memberRejoined(
  deps: Pick<MembershipDeps, 'privacy' | 'departures'>,
  guildId: string,
  memberId: string,
): Promise<boolean> {
  if (!(await deps.departures?.takeDeparture(guildId, memberId))) return false;
  // Still linked? /unlink erased the privacy record (and the departure with it); nothing to give back.
  if (!(await deps.privacy.get(memberId))) return false;
  await setVisibleIn(deps.privacy, memberId, guildId, true);
  return true;
}

export interface SweepOptions {
  /** At most this many Discord requests per run, across every server. */
  maxChecks: number;
  /** Waits between two requests, when a caller wants them spaced within a run (none by default). */
  pause?: () => Promise<void>;
  /** Stop early (shutdown). */
  stopped?: () => boolean;
}

export interface SweepResult {
  checked: number;
  left: number;
  rejoined: number;
  unknown: number;
}

/**
 * The periodic membership sweep: asks Discord, one member at a time (`GET
 * /guilds/{guild}/members/{user}`, no privileged intent), about the members visible in each server
 * and those who left one, least recently checked first (by the injected clock), sequentially and
 * at most `maxChecks` per run; later runs carry on where this one stopped. Catches what GUILD_MEMBER_REMOVE cannot (no members intent, the
 * bot offline when they left).
 */
export async function sweepMembership(
  deps: Pick<MembershipDeps, 'privacy' | 'presence' | 'departures' | 'now'> & { departures: DepartureRepository },
  guildIds: readonly string[],
  options: SweepOptions,
): Promise<SweepResult> {
  const result: SweepResult = { checked: 0, left: 0, rejoined: 0, unknown: 0 };
  const check = deps.presence.check;
  if (!check || !guildIds.length) return result;
  // A fair share per server, so one large server does not starve the others of checks.
  const share = Math.max(1, Math.floor(options.maxChecks / guildIds.length));
  for (const guildId of guildIds) {
    const due = await deps.departures.dueForCheck(guildId, Math.min(share, options.maxChecks - result.checked));
    const checked: string[] = [];
    for (const { memberId, departed } of due) {
      if (options.stopped?.() || result.checked >= options.maxChecks) break;
      if (result.checked > 0) await options.pause?.();
      const answer = await check.call(deps.presence, guildId, memberId);
      result.checked++;
      if (answer === 'unknown') {
        result.unknown++;
        continue;
      }
      checked.push(memberId);
      if (answer === 'gone' && !departed && (await memberLeft(deps, guildId, memberId))) result.left++;
      if (answer === 'member' && departed && (await memberRejoined(deps, guildId, memberId))) result.rejoined++;
    }
    await deps.departures.markChecked(guildId, checked, (deps.now ?? Date.now)());
    if (options.stopped?.() || result.checked >= options.maxChecks) break;
  }
  return result;
}

/** Enough rounds for a page where a few members left at once; after that, what is left is shown. */
const MAX_ROUNDS = 3;

/**
 * Computes an answer, checks the members it would show, and when some left, withdraws them and
 * computes it again (ranks, crowns and totals must not count them). `shown` picks the members the
 * answer names.
 */
export async function withoutGoneMembers<T>(
  deps: MembershipDeps,
  guildId: string,
  compute: () => Promise<T>,
  shown: (answer: T) => readonly string[],
): Promise<T> {
  let answer = await compute();
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const gone = await withdrawGone(deps, guildId, shown(answer));
    if (gone.length === 0) return answer;
    answer = await compute();
  }
  return answer;
}
