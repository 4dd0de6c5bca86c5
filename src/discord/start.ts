import { Events, type Client } from 'discord.js';
import type { Logger } from '../log.js';
import { COMMANDS_DIR, loadCommands, type Command } from './command.js';
import { createDiscordClient, shardOfGuild, shardStates, type ShardState } from './client.js';
import { createInteractionRouter, type RouterHooks } from './router.js';
import type { Services } from '../app/services.js';

export interface DiscordOptions {
  token: string;
  apiUrl: string;
  services: Services;
  log: Logger;
  commandsDir?: string;
  hooks?: RouterHooks;
  /** The shards this process runs and the total across processes (DISCORD_SHARDS, DISCORD_SHARD_COUNT). */
  shards?: number[] | 'auto';
  shardCount?: number;
  /** The privileged members intent (see DiscordClientOptions.memberEvents). */
  memberEvents?: boolean;
}

export interface RunningDiscord {
  client: Client;
  commands: ReadonlyMap<string, Command>;
  /** Each shard of this process: status, ping, server count. */
  shards(): ShardState[];
  /** True when a server's events come to this process (one of its shards owns the server). */
  ownsGuild(guildId: string): boolean;
  stop(): Promise<void>;
}

/** Loads the commands, logs in, routes interactions; resolves once the gateway is ready. */
export async function startDiscord(options: DiscordOptions): Promise<RunningDiscord> {
  const log = options.log.child({ module: 'discord' });
  const commands = await loadCommands(options.commandsDir ?? COMMANDS_DIR);
  const client = createDiscordClient({
    apiUrl: options.apiUrl,
    shards: options.shards,
    shardCount: options.shardCount,
    memberEvents: options.memberEvents,
  });
  const route = createInteractionRouter({ services: options.services, log, commands }, options.hooks);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardResume, (shard) => log.info({ shard }, 'gateway session resumed'));
  client.on(Events.ShardReady, (shard) => log.info({ shard }, 'shard ready'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'shard disconnected'));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  // After login, discord.js holds the resolved ids and count (Discord's own with 'auto').
  const ids = new Set(client.options.shards as number[]);
  const count = client.options.shardCount ?? 1;
  log.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, commands: commands.size, shards: [...ids], count },
    'Discord ready',
  );
  return {
    client,
    commands,
    shards: () => shardStates(client),
    ownsGuild: (guildId) => ids.has(shardOfGuild(guildId, count)),
    stop: () => client.destroy(),
  };
}
