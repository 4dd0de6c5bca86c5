import { Client, GatewayIntentBits, Partials } from 'discord.js';

export interface DiscordClientOptions {
  /** Base of the REST API; the gateway URL is whatever that server's GET /gateway/bot answers. */
  apiUrl: string;
}

/** A discord.js client that can be pointed at any Discord-compatible server. Only the Guilds intent: no privileged intents. */
export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: { api: options.apiUrl },
  });
}
