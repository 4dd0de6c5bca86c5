import { existsSync } from 'node:fs';
import { loadConfigOrExit } from './config.js';
import { createDiscordClient } from './discord/client.js';
import { createHttpApp } from './http/app.js';
import { listen } from './http/server.js';
import { onTerminationSignal, runShutdown } from './lifecycle.js';
import { createLogger } from './log.js';
import { openStore } from './store/index.js';

// The composition root: config → store → spotify → charts → discord → http → jobs.
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);

const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
const client = createDiscordClient({ apiUrl: config.DISCORD_API_URL });
client.on('error', (error) => log.error({ err: error }, 'discord client error'));

const http = createHttpApp({
  log,
  store,
  info: () => ({ discord: { ready: client.isReady(), ping: client.ws.ping } }),
});
const server = await listen(http, config.PORT);
log.info({ port: server.port }, 'http listening');

onTerminationSignal(async (signal) => {
  log.info({ signal }, 'shutting down');
  const clean = await runShutdown(
    [
      { name: 'discord gateway', run: () => client.destroy() },
      { name: 'http', run: () => server.close(5_000) },
      { name: 'store', run: () => store.close() },
    ],
    log,
  );
  process.exit(clean ? 0 : 1);
});

try {
  await client.login(config.DISCORD_TOKEN);
  log.info({ user: client.user?.tag }, 'logged in to Discord');
} catch (error) {
  log.fatal({ err: error }, 'could not log in to Discord; check DISCORD_TOKEN and DISCORD_API_URL');
  await runShutdown([{ name: 'http', run: () => server.close(1_000) }, { name: 'store', run: () => store.close() }], log);
  process.exit(1);
}
