import { existsSync } from 'node:fs';
import { loadConfigOrExit } from './config.js';
import { startEncore } from './encore.js';
import { onTerminationSignal } from './lifecycle.js';
import { createLogger } from './log.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);

try {
  const encore = await startEncore({ config, log });
  onTerminationSignal(async (signal) => {
    log.info({ signal }, 'shutting down');
    process.exit((await encore.stop(10_000)) ? 0 : 1);
  });
} catch (error) {
  log.fatal({ err: error }, 'Encore could not start');
  process.exit(1);
}
