import { Client, GatewayIntentBits, Options, Partials, Routes, Status } from 'discord.js';

export interface DiscordClientOptions {
  /** Base of the REST API; the gateway URL is whatever that server's GET /gateway/bot answers. */
  apiUrl: string;
  /**
   * The shards this process runs and the total across every process. discord.js's own options
   * rather than @discordjs/ws: one Client already runs several shards over one cache and one REST
   * queue, and processes need nothing from each other (shared state is in Postgres), so
   * discord.js's ShardingManager, which forks and relays between children, would add nothing.
   */
  shards?: number[] | 'auto';
  shardCount?: number;
  /**
   * Ask for the privileged Server Members intent (GUILD_MEMBER_ADD/REMOVE): a member who leaves is
   * taken off the server's boards at once. Off by default: Discord refuses the login (4014) unless
   * the intent is switched on in the developer portal; without it the membership sweep finds them.
   */
  memberEvents?: boolean;
}

/**
 * Users and guild members discord.js keeps in memory. Every member who runs a command is cached,
 * and nothing leaves these caches by default: a long-lived process would hold everyone it ever
 * saw. Encore fetches whom it does not find (names, DMs, its own member), so the oldest may go.
 * Messages are not kept at all: Encore never reads one from the cache, and discord.js would keep
 * the last 200 it sent or edited in every channel and DM (the soak's heap grew with them).
 */
export const CACHED_USERS = 5_000;
export const CACHED_MEMBERS_PER_GUILD = 200;
/** Caches Encore never reads; channels, roles and permission overwrites stay (permissionsFor needs them). */
const UNUSED_CACHES = [
  'GuildEmojiManager',
  'GuildStickerManager',
  'GuildScheduledEventManager',
  'StageInstanceManager',
  'ReactionManager',
  'ReactionUserManager',
  'ThreadMemberManager',
  'GuildInviteManager',
  'GuildBanManager',
  'AutoModerationRuleManager',
  'PresenceManager',
  'VoiceStateManager',
] as const;

/**
 * A discord.js client that can be pointed at any Discord-compatible server. The Guilds intent, and
 * the privileged members intent only when asked for. Members may be partial: a member who leaves
 * is rarely in the (bounded) cache, and without the partial discord.js drops their
 * guildMemberRemove.
 */
export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, ...(options.memberEvents ? [GatewayIntentBits.GuildMembers] : [])],
    partials: [Partials.Channel, Partials.GuildMember],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      // Sent with every server (GUILD_CREATE) and never read by Encore: a bot in many servers would
      // hold hundreds of emojis and stickers for each.
      ...Object.fromEntries(UNUSED_CACHES.map((manager) => [manager, 0])),
      UserManager: { maxSize: CACHED_USERS, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: {
        maxSize: CACHED_MEMBERS_PER_GUILD,
        keepOverLimit: (member) => member.id === member.client.user.id,
      },
    }),
    rest: { api: options.apiUrl },
    ...(options.shards === undefined ? {} : { shards: options.shards }),
    ...(options.shardCount === undefined ? {} : { shardCount: options.shardCount }),
  });
}

export interface ShardState {
  id: number;
  /** discord.js's status: ready, connecting, reconnecting, resuming, disconnected, … */
  status: string;
  /** Heartbeat round trip in ms; null before the first heartbeat was acknowledged. */
  ping: number | null;
  guilds: number;
}

const STATUS_NAMES = Object.fromEntries(
  Object.entries(Status)
    .filter(([, v]) => typeof v === 'number')
    .map(([name, v]) => [v as number, name.toLowerCase()]),
);

/** Each shard this process runs, with the number of servers it holds. */
export function shardStates(client: Client): ShardState[] {
  const guilds = new Map<number, number>();
  for (const guild of client.guilds.cache.values()) guilds.set(guild.shardId, (guilds.get(guild.shardId) ?? 0) + 1);
  return [...client.ws.shards.values()]
    .map((shard) => ({
      id: shard.id,
      status: STATUS_NAMES[shard.status] ?? String(shard.status),
      ping: shard.ping >= 0 ? shard.ping : null,
      guilds: guilds.get(shard.id) ?? 0,
    }))
    .sort((a, b) => a.id - b.id);
}

/** Discord's rule for which shard receives a server's events: (guild_id >> 22) % shard count. */
export const shardOfGuild = (guildId: string, shardCount: number): number =>
  Number((BigInt(guildId) >> 22n) % BigInt(shardCount));

/**
 * A server's name, wherever its shard runs: the cache holds only this process's servers, so the
 * others are read by REST (not through client.guilds.fetch, which would cache a server this
 * process receives no events for).
 */
export async function guildNameOf(client: Client, guildId: string): Promise<string | undefined> {
  const cached = client.guilds.cache.get(guildId)?.name;
  if (cached) return cached;
  try {
    return ((await client.rest.get(Routes.guild(guildId))) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
