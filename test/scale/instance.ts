import { loadConfigOrExit } from '../../src/config.js';
import { startEncore } from '../../src/encore.js';
import { createLogger } from '../../src/log.js';
import { manualTicks } from '../support/manualTicks.js';

/**
 * One Encore instance as its own process, for the scale-out tests: configured from its environment
 * exactly as src/main.ts is (DISCORD_SHARDS, DISCORD_SHARD_COUNT, DATABASE_URL …), started by the
 * same startEncore, with two seams over IPC that main.ts takes from the wall clock: the cron ticks
 * (the parent fires the same tick at every instance, as one wall clock would) and the offset of
 * the bot's clock. Logs go to stdout as JSON lines, as in production.
 */
export type ToInstance = { type: 'tick'; id: number; job: string; at: number } | { type: 'stop' };

export type FromInstance =
  | { type: 'ready'; port: number; commands: unknown[] }
  | { type: 'settled'; interactionId: string }
  /** `runs`: how many runs of the job this process has finished so far, from its own log. */
  | { type: 'ticked'; id: number; reached: number; runs: number }
  | { type: 'error'; message: string };

const send = (message: FromInstance) => process.send!(message);

const config = loadConfigOrExit();
// Counted from the log as it is written, so a tick's answer includes its own run.
const finishedRuns = new Map<string, number>();
const log = createLogger(config.LOG_LEVEL, {
  write(line: string) {
    process.stdout.write(line);
    const entry = JSON.parse(line) as { msg?: string; job?: string };
    if (entry.msg === 'job finished' && entry.job) finishedRuns.set(entry.job, (finishedRuns.get(entry.job) ?? 0) + 1);
  },
});
const ticks = manualTicks();
// The latest tick's moment is the instance's "now" from then on, so Spotify budgets and chart periods
// follow the jobs. It never goes back, as a wall clock would not (the pacer would wait out the gap).
let offsetMs = 0;

const encore = await startEncore({
  config,
  log,
  host: '127.0.0.1',
  jobTicks: ticks.source,
  clock: () => Date.now() + offsetMs,
  spotifyLimits: { concurrency: 8, perSecond: 10_000, dailyBudget: 1_000_000 },
  discordHooks: { onSettled: (interactionId) => send({ type: 'settled', interactionId }) },
});

process.on('message', (message: ToInstance) => {
  void (async () => {
    if (message.type === 'tick') {
      offsetMs = Math.max(offsetMs, message.at - Date.now());
      const reached = await ticks.tick(message.job, new Date(message.at));
      return send({ type: 'ticked', id: message.id, reached, runs: finishedRuns.get(message.job) ?? 0 });
    }
    await encore.stop(10_000);
    process.exit(0);
  })().catch((error: unknown) => send({ type: 'error', message: String(error) }));
});
send({
  type: 'ready',
  port: encore.http.port,
  commands: [...encore.discord.commands.values()].map((c) => c.data.toJSON()),
});
