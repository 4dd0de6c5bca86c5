import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Claims } from '../store/claims.js';

/** A scheduled unit of work: small, named, and handed its dependencies explicitly. */
export interface Job<Deps> {
  name: string;
  /** Cron expression (node-cron syntax, seconds optional). */
  schedule: string;
  timezone?: string;
  /** Run on one instance only per tick, by claiming the tick in Postgres. Default true. */
  once?: boolean;
  run(deps: Deps, now: Date): Promise<void>;
}

export interface Scheduler {
  /** Runs a job immediately (an operator command, a test); resolves when it finishes. */
  runNow(name: string, now?: Date): Promise<void>;
  /** Stops scheduling and waits for running jobs to finish. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  log: Logger;
  /** Jobs wait for this (the gateway being ready) before their first run. */
  ready?: Promise<unknown>;
  claims?: Claims;
  instanceId?: string;
}

/** Starts every job on its schedule; a failing run is logged and the schedule goes on. */
export function startJobs<Deps>(jobs: ReadonlyArray<Job<Deps>>, deps: Deps, options: SchedulerOptions): Scheduler {
  const log = options.log.child({ module: 'jobs' });
  const running = new Set<Promise<void>>();
  const byName = new Map(jobs.map((job) => [job.name, job]));
  let stopped = false;

  const execute = async (job: Job<Deps>, now: Date, scheduled: boolean) => {
    await options.ready;
    if (stopped) return;
    if (scheduled && job.once !== false && options.claims) {
      const tick = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
      const won = await options.claims.claim(`job:${job.name}`, tick, options.instanceId ?? `pid${process.pid}`);
      if (!won) return log.debug({ job: job.name, tick }, 'another instance runs this tick');
    }
    const started = performance.now();
    try {
      await job.run(deps, now);
      log.info({ job: job.name, ms: Math.round(performance.now() - started) }, 'job finished');
    } catch (error) {
      log.error({ job: job.name, err: error }, 'job failed');
    }
  };
  const track = (promise: Promise<void>) => {
    running.add(promise);
    void promise.finally(() => running.delete(promise));
    return promise;
  };

  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, (context) => track(execute(job, context.date, true)), {
      name: job.name,
      timezone: job.timezone,
      noOverlap: true,
    }),
  );

  return {
    async runNow(name, now = new Date()) {
      const job = byName.get(name);
      if (!job) throw new Error(`No job named ${name}`);
      await track(execute(job, now, false));
    },
    async stop() {
      stopped = true;
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}
