import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { ChartRenderer } from '../src/charts/index.js';
import { parseConfig } from '../src/config.js';
import { startEncore, type Encore } from '../src/encore.js';
import { createLogger } from '../src/log.js';

/**
 * Encore in a process of its own for the load and soak benches (bench/encoreBot.ts forks it), so
 * that the event-loop delay, heap and RSS it reports are the bot's alone, not the emulators' the
 * bench process hosts. Driven over IPC: the parent sends the environment, then asks for
 * measurements, job runs on a moved clock, and the stop.
 */
export type ToChild =
  | { type: 'measure-start' }
  | { type: 'measure-stop' }
  | { type: 'run-jobs'; offsetMs: number; jobs: string[] }
  | { type: 'sample' }
  | { type: 'query'; sql: string }
  | { type: 'stop' };

export interface LoopFigures {
  eventLoop: { p50: number; p99: number; max: number };
  rss: { start: number; peak: number; end: number; atPeak?: PeakBreakdown };
  /** CPU time the bot process used while measuring (user + system), in ms. */
  cpuMs: number;
  /** Queries waiting for one of the pool's connections, sampled every 250 ms: the most, and how often any waited. */
  pool: { max: number; maxWaiting: number; busySamples: number; samples: number };
}
/** The main thread's heap when RSS peaked, and how many chart workers were running then. */
export interface PeakBreakdown {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  chartWorkers: number;
}
export interface MemorySample {
  heapUsed: number;
  rss: number;
  /** The rest of process.memoryUsage(): where RSS goes besides the main thread's heap. */
  heapTotal?: number;
  external?: number;
  arrayBuffers?: number;
}

export type FromChild =
  | { type: 'ready' }
  | { type: 'settled'; id: string; at: number }
  | { type: 'measured'; figures: LoopFigures }
  | { type: 'ran'; failed: string[] }
  | { type: 'sampled'; sample: MemorySample }
  | { type: 'rows'; rows: unknown[] }
  | { type: 'error'; message: string };

const send = (message: FromChild) => process.send!(message);

// The clock the soak moves: Spotify requests, chart periods and scheduled jobs all read it.
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;

const parsed = parseConfig(JSON.parse(process.env.ENCORE_BENCH_ENV ?? '{}') as Record<string, string>);
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const limits = JSON.parse(process.env.ENCORE_BENCH_SPOTIFY_LIMITS ?? '{}') as {
  concurrency?: number;
  perSecond?: number;
  dailyBudget?: number;
};
const guildId = process.env.ENCORE_BENCH_GUILD!;

const encore: Encore = await startEncore({
  config: parsed.config,
  // ENCORE_BENCH_LOG=<file> keeps the bot's warnings and errors there (the bench's output stays figures).
  log: process.env.ENCORE_BENCH_LOG
    ? createLogger('warn', pino.destination({ dest: process.env.ENCORE_BENCH_LOG, append: true }))
    : createLogger('silent'),
  host: '127.0.0.1',
  spotifyLimits: limits,
  clock,
  discordHooks: { onSettled: (id) => send({ type: 'settled', id, at: Date.now() }) },
});
// What `npm run deploy-commands -- --guild ID` does.
await encore.discord.client.rest.put(`/applications/${parsed.config.DISCORD_APP_ID}/guilds/${guildId}/commands`, {
  body: [...encore.discord.commands.values()].map((c) => c.data.toJSON()),
});

const eld = monitorEventLoopDelay({ resolution: 10 });
let rss: LoopFigures['rss'] = { start: 0, peak: 0, end: 0 };
const breakdown = (): PeakBreakdown => {
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  // services.charts is the ChartRenderer (src/encore.ts), typed there as only what features use.
  const charts = encore.services.charts as Partial<ChartRenderer> | undefined;
  return { heapUsed, heapTotal, external, arrayBuffers, chartWorkers: charts?.workers?.() ?? -1 };
};
let rssTimer: NodeJS.Timeout | undefined;
let cpuAtStart = process.cpuUsage();
let pool = { max: 0, maxWaiting: 0, busySamples: 0, samples: 0 };
const ms = (ns: number) => ns / 1e6;

process.on('message', (message: ToChild) => {
  void (async () => {
    switch (message.type) {
      case 'measure-start':
        eld.reset();
        eld.enable();
        rss = { start: process.memoryUsage.rss(), peak: process.memoryUsage.rss(), end: 0 };
        cpuAtStart = process.cpuUsage();
        pool = { max: encore.store.pool.options.max, maxWaiting: 0, busySamples: 0, samples: 0 };
        rssTimer = setInterval(() => {
          const now = process.memoryUsage.rss();
          if (now > rss.peak) rss = { ...rss, peak: now, atPeak: breakdown() };
          const waiting = encore.store.pool.waitingCount;
          pool.samples++;
          pool.maxWaiting = Math.max(pool.maxWaiting, waiting);
          if (waiting > 0) pool.busySamples++;
        }, 250);
        return;
      case 'measure-stop':
        eld.disable();
        clearInterval(rssTimer);
        rss.end = process.memoryUsage.rss();
        rss.peak = Math.max(rss.peak, rss.end);
        const cpu = process.cpuUsage(cpuAtStart);
        return send({
          type: 'measured',
          figures: {
            eventLoop: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
            rss,
            cpuMs: (cpu.user + cpu.system) / 1000,
            pool,
          },
        });
      case 'run-jobs': {
        offsetMs = message.offsetMs;
        const failed: string[] = [];
        for (const job of message.jobs) await encore.jobs.runNow(job, new Date(clock())).catch(() => failed.push(job));
        return send({ type: 'ran', failed });
      }
      case 'sample': {
        // Twice: the first collection lets finalizers run, the second frees what they released.
        globalThis.gc?.();
        await new Promise((r) => setImmediate(r));
        globalThis.gc?.();
        const { heapUsed, rss: now, heapTotal, external, arrayBuffers } = process.memoryUsage();
        return send({ type: 'sampled', sample: { heapUsed, rss: now, heapTotal, external, arrayBuffers } });
      }
      case 'query':
        return send({ type: 'rows', rows: (await encore.store.pool.query(message.sql)).rows });
      case 'stop':
        await encore.stop(10_000);
        process.exit(0);
    }
  })().catch((error: unknown) => send({ type: 'error', message: String(error) }));
});
send({ type: 'ready' });
