import cron from 'node-cron';
import { newInstanceId } from '../instanceId.js';
import type { Logger } from 'pino';

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

/**
 * Where ticks come from. Production uses node-cron on the wall clock (`cronTicks`); tests pass a
 * source they fire by hand, so no test waits for a real second to pass.
 */
export interface TickSource {
  /** Calls `onTick` with each time `job.schedule` matches, until the returned function is called. */
  every(
    job: { name: string; schedule: string; timezone?: string },
    onTick: (now: Date) => Promise<void>,
  ): () => void | Promise<void>;
}

/** Ticks from node-cron: each second or minute the cron expression matches, in the job's time zone. */
export const cronTicks: TickSource = {
  every(job, onTick) {
    const task = cron.schedule(job.schedule, (context) => onTick(context.date), {
      name: job.name,
      timezone: job.timezone,
    });
    return () => task.destroy();
  },
};

/** Claims on ticks, so a job marked `once` runs on one instance per tick (the store's claims table, in production). */
export interface TickClaims {
  /** True when this caller won the claim on (kind, id). */
  claim(kind: string, id: string, owner: string): Promise<boolean>;
}

export interface SchedulerOptions {
  log: Logger;
  /** Where scheduled ticks come from; node-cron by default. */
  ticks?: TickSource;
  /** Jobs wait for this (the gateway being ready) before their first run. */
  ready?: Promise<unknown>;
  claims?: TickClaims;
  instanceId?: string;
}

/** Starts every job on its schedule; a failing run is logged and the schedule goes on. */
export function startJobs<Deps>(jobs: ReadonlyArray<Job<Deps>>, deps: Deps, options: SchedulerOptions): Scheduler {
  const log = options.log.child({ module: 'jobs' });
  const instanceId = options.instanceId ?? newInstanceId();
  const running = new Set<Promise<void>>();
  const byName = new Map(jobs.map((job) => [job.name, job]));
  let stopped = false;

  /** Jobs with a scheduled run under way: a tick that comes while the previous run goes on is skipped. */
  const busy = new Set<string>();
  for (const job of jobs)
    if (!cron.validate(job.schedule)) throw new Error(`Job ${job.name}: invalid cron expression "${job.schedule}"`);

  const execute = async (job: Job<Deps>, now: Date, scheduled: boolean) => {
    await options.ready;
    if (stopped) return;
    if (scheduled && job.once !== false && options.claims) {
      const tick = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
      const won = await options.claims.claim(`job:${job.name}`, tick, instanceId);
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

  const onTick = (job: Job<Deps>) => (now: Date) => {
    if (stopped) return Promise.resolve();
    if (busy.has(job.name)) {
      log.warn({ job: job.name }, 'previous run still going; tick skipped');
      return Promise.resolve();
    }
    busy.add(job.name);
    return track(execute(job, now, true).finally(() => busy.delete(job.name)));
  };
  const ticks = options.ticks ?? cronTicks;
  const cancels = jobs.map((job) =>
    ticks.every({ name: job.name, schedule: job.schedule, timezone: job.timezone }, onTick(job)),
  );

  return {
    async runNow(name, now = new Date()) {
      const job = byName.get(name);
      if (!job) throw new Error(`No job named ${name}`);
      await track(execute(job, now, false));
    },
    async stop() {
      stopped = true;
      await Promise.all(cancels.map((cancel) => cancel()));
      await Promise.allSettled([...running]);
    },
  };
}
