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
): GuildPresence & {
  size(): number;
  forget(guildId: string, memberId: string): void;
  check(guildId: string, memberId: string): Promise<'member' | 'gone' | 'unknown'>;
} {
  const ttlMs = options.ttlMs ?? HOUR;
  const max = options.max ?? 10_000;
  const seen = new Map<string, number>();
  const key = (guildId: string, memberId: string) => `${guildId}:${memberId}`;
  const check = async (guildId: string, memberId: string): Promise<'member' | 'gone' | 'unknown'> => {
    const k = key(guildId, memberId);
    const c = client();
    if (!c) return 'unknown';
    try {
      await c.rest.get(Routes.guildMember(guildId, memberId));
    } catch (error) {
      if (error instanceof DiscordAPIError && [UNKNOWN_MEMBER, UNKNOWN_USER].includes(Number(error.code))) {
        seen.delete(k);
        return 'gone';
      }
      return 'unknown';
    }
    seen.delete(k);
    seen.set(k, now());
    while (seen.size > max) seen.delete(seen.keys().next().value!);
    return 'member';
  };
  return {
    async isMember(guildId, memberId) {
      const at = seen.get(key(guildId, memberId));
      if (at !== undefined && now() - at < ttlMs) return true;
      return (await check(guildId, memberId)) !== 'gone';
    },
    check,
    forget(guildId, memberId) {
      seen.delete(key(guildId, memberId));
    },
    size: () => seen.size,
  };
}
