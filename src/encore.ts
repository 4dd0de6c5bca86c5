import type { Config } from './config.js';
import { createDiscordClient } from './discord/client.js';
import { createHttpApp } from './http/app.js';
import { listen, type RunningServer } from './http/server.js';
import { runShutdown, type ShutdownStep } from './lifecycle.js';
import type { Logger } from './log.js';
import { openStore, type Store } from './store/index.js';

export interface Encore {
  readonly store: Store;
  readonly http: RunningServer;
  /** Stops everything in order (jobs → gateway → HTTP → store); false if the deadline passed. */
  stop(deadlineMs?: number): Promise<boolean>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  /** Bind address for HTTP; tests and the sandbox use 127.0.0.1. */
  host?: string;
}

/**
 * The composition root shared by `npm start`, the sandbox and end-to-end tests:
 * config → store → spotify → charts → discord → http → jobs.
 */
export async function startEncore({ config, log, host }: StartOptions): Promise<Encore> {
  const steps: ShutdownStep[] = [];
  const stop = (deadlineMs?: number) => runShutdown([...steps].reverse(), log, deadlineMs);
  try {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
    steps.push({ name: 'store', run: () => store.close() });

    const client = createDiscordClient({ apiUrl: config.DISCORD_API_URL });
    client.on('error', (error) => log.error({ err: error }, 'discord client error'));

    const app = createHttpApp({
      log,
      store,
      info: () => ({ discord: { ready: client.isReady(), ping: client.ws.ping } }),
    });
    const http = await listen(app, config.PORT, host);
    steps.push({ name: 'http', run: () => http.close(5_000) });
    log.info({ port: http.port }, 'http listening');

    steps.push({ name: 'discord gateway', run: () => client.destroy() });
    await client.login(config.DISCORD_TOKEN);
    log.info({ user: client.user?.tag }, 'logged in to Discord');

    return { store, http, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}
