import { Events, type Client } from 'discord.js';
import type { Logger } from '../log.js';
import { COMMANDS_DIR, loadCommands, type Command } from './command.js';
import { createDiscordClient } from './client.js';
import { createInteractionRouter, type RouterHooks } from './router.js';
import type { Services } from '../app/services.js';

export interface DiscordOptions {
  token: string;
  apiUrl: string;
  services: Services;
  log: Logger;
  commandsDir?: string;
  hooks?: RouterHooks;
}

export interface RunningDiscord {
  client: Client;
  commands: ReadonlyMap<string, Command>;
  stop(): Promise<void>;
}

/** Loads the commands, logs in, routes interactions; resolves once the gateway is ready. */
export async function startDiscord(options: DiscordOptions): Promise<RunningDiscord> {
  const log = options.log.child({ module: 'discord' });
  const commands = await loadCommands(options.commandsDir ?? COMMANDS_DIR);
  const client = createDiscordClient({ apiUrl: options.apiUrl });
  const route = createInteractionRouter({ services: options.services, log, commands }, options.hooks);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardResume, () => log.info('gateway session resumed'));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, commands: commands.size }, 'Discord ready');
  return { client, commands, stop: () => client.destroy() };
}
