import { DiscordAPIError, Routes, type Client } from 'discord.js';
import type { GuildPresence } from '../app/social/membership.js';

const UNKNOWN_MEMBER = 10007;
const UNKNOWN_USER = 10013;
const HOUR = 3_600_000;

/**
 * Membership through REST `GET /guilds/{guild}/members/{user}` (no privileged members intent).
 * A "present" answer is remembered for an hour, in memory, for at most `max` members (oldest
 * forgotten first); "gone" is not remembered, since the caller withdraws that member's visibility.
 * Only Discord's "Unknown Member" counts as gone: an outage must not take everyone off the boards.
 */
export function guildPresence(
  client: () => Client | undefined,
  now: () => number,
  options: { ttlMs?: number; max?: number } = {},
): GuildPresence & { size(): number; forget(guildId: string, memberId: string): void } {
  const ttlMs = options.ttlMs ?? HOUR;
  const max = options.max ?? 10_000;
  const seen = new Map<string, number>();
  const key = (guildId: string, memberId: string) => `${guildId}:${memberId}`;
  return {
    async isMember(guildId, memberId) {
      const k = key(guildId, memberId);
      const at = seen.get(k);
      if (at !== undefined && now() - at < ttlMs) return true;
      const c = client();
      if (!c) return true;
      try {
        await c.rest.get(Routes.guildMember(guildId, memberId));
      } catch (error) {
        if (error instanceof DiscordAPIError && [UNKNOWN_MEMBER, UNKNOWN_USER].includes(Number(error.code))) {
          seen.delete(k);
          return false;
        }
        return true;
      }
      seen.delete(k);
      seen.set(k, now());
      while (seen.size > max) seen.delete(seen.keys().next().value!);
      return true;
    },
    forget(guildId, memberId) {
      seen.delete(key(guildId, memberId));
    },
    size: () => seen.size,
  };
}
