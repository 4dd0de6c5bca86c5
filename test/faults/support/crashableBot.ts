/**
 * The whole bot (startEncore, as src/main.ts starts it) as a child process a fault test can kill
 * with SIGKILL. Config comes from the environment like `npm start`; the differences are for the
 * test's sake: scheduled jobs run when the parent says so (no waiting for a cron minute), and the
 * parent hears over IPC when the bot is ready and when each interaction was fully handled.
 */
import { loadConfigOrExit } from '../../../src/config.js';
import { startEncore } from '../../../src/encore.js';
import type { TickSource } from '../../../src/jobs/scheduler.js';
import { createLogger } from '../../../src/log.js';

const send = (message: object) => process.send?.(message);
const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);
const noTicks: TickSource = { every: () => () => undefined };

const encore = await startEncore({
  config,
  log,
  host: '127.0.0.1',
  jobTicks: noTicks,
  spotifyLimits: { concurrency: 8, perSecond: 10_000, dailyBudget: 1_000_000 },
  discordHooks: { onSettled: (id) => send({ settled: id }) },
});

process.on('message', (message: { run?: string; at?: number }) => {
  if (!message.run) return;
  const name = message.run;
  encore.jobs.runNow(name, new Date(message.at ?? Date.now())).then(
    () => send({ ran: name }),
    (error: unknown) => send({ ran: name, error: String(error) }),
  );
});
send({ ready: true });
