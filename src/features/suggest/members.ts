import type { Services } from '../../app/services.js';
import { memberLeft } from '../../app/social/membership.js';
import { utcDay } from '../../core/time/utcDay.js';

/**
 * Whether a member is still in a server (server social's membership check, looked up when asked:
 * that feature is built after this one). One Discord says left is withdrawn there at once.
 */
export const stillInOf = (services: Services) => async (guildId: string, memberId: string) => {
  const social = services.social;
  if (!social || (await social.presence.isMember(guildId, memberId))) return true;
  await memberLeft(social, guildId, memberId);
  return false;
};

/** A member's genres of the last 90 days, most played first (the unclassified left out). */
export const memberGenresOf = (services: Services) => async (memberId: string, now: number) => {
  const reader = services.historyReader;
  if (!reader) return [];
  const rows = await reader.genreDays(memberId, utcDay(now - 90 * 86_400_000), utcDay(now), 'period');
  return rows
    .filter((r) => r.genre !== 'unclassified')
    .sort((a, b) => b.plays - a.plays)
    .map((r) => r.genre);
};
