import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronTicks, startJobs, type Job } from '../../src/jobs/scheduler.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { manualTicks } from '../support/manualTicks.js';

const testStore = useTestStore();
/** Lets every promise that can settle now settle (no time passes on any clock). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const T = new Date('2026-03-02T09:00:00.000Z');
const plus = (ms: number) => new Date(T.getTime() + ms);

afterEach(() => {
  vi.useRealTimers();
});

describe('the job scheduler', () => {
  it('runs a job at each tick with its dependencies and the tick’s time, and keeps going after a failing run', async () => {
    const ticks = manualTicks();
    const seen: Date[] = [];
    const job: Job<{ seen: Date[] }> = {
      name: 'every-second',
      schedule: '* * * * * *',
      timezone: 'Europe/Paris',
      once: false,
      async run(deps, now) {
        deps.seen.push(now);
        if (deps.seen.length === 1) throw new Error('first run fails');
      },
    };
    const captured = captureLogger('info');
    const scheduler = startJobs([job], { seen }, { log: captured.log, ticks: ticks.source });
    expect(ticks.scheduled()).toEqual([{ name: 'every-second', schedule: '* * * * * *', timezone: 'Europe/Paris' }]);

    expect(await ticks.tick('every-second', T)).toBe(1);
    expect(await ticks.tick('every-second', plus(1_000))).toBe(1);
    expect(seen).toEqual([T, plus(1_000)]);
    const lines = captured.lines().filter((l) => l.job === 'every-second');
    expect(lines.map((l) => l.msg)).toEqual(['job failed', 'job finished']);
    expect(JSON.stringify(lines[0]!.err)).toContain('first run fails');

    await scheduler.stop();
    expect(ticks.scheduled()).toEqual([]);
    expect(await ticks.tick('every-second', plus(2_000))).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it('skips a tick that comes while the previous run goes on, and stop waits for the running run', async () => {
    const ticks = manualTicks();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const runs: Date[] = [];
    let finished = 0;
    const job: Job<unknown> = {
      name: 'slow',
      schedule: '* * * * *',
      once: false,
      async run(_deps, now) {
        runs.push(now);
        started();
        await gate;
        finished++;
      },
    };
    const captured = captureLogger('info');
    const scheduler = startJobs([job], {}, { log: captured.log, ticks: ticks.source });

    const first = ticks.tick('slow', T);
    await running;
    expect(await ticks.tick('slow', plus(60_000))).toBe(1);
    expect(runs).toEqual([T]);
    expect(captured.lines().some((l) => l.msg === 'previous run still going; tick skipped' && l.job === 'slow')).toBe(
      true,
    );

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(finished).toBe(0);
    release();
    await stopping;
    await first;
    expect(finished).toBe(1);
    expect(runs).toEqual([T]);
  });

  it('runs each scheduled tick on exactly one of several instances sharing the store, one claim per job and minute', async () => {
    const ticks = manualTicks();
    const runs: Array<{ instance: string; at: string }> = [];
    const job = (instance: string): Job<unknown> => ({
      name: 'digest-like',
      schedule: '* * * * * *',
      async run(_deps, now) {
        runs.push({ instance, at: now.toISOString() });
      },
    });
    const { log } = captureLogger('silent');
    const a = startJobs([job('a')], {}, { log, claims: testStore().claims, instanceId: 'a', ticks: ticks.source });
    const b = startJobs([job('b')], {}, { log, claims: testStore().claims, instanceId: 'b', ticks: ticks.source });
    const owner = (minute: Date) => testStore().claims.ownerOf('job:digest-like', minute.toISOString());

    // Both instances see tick T: exactly one of them runs it, the one that holds the claim.
    expect(await ticks.tick('digest-like', T)).toBe(2);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.at).toBe(T.toISOString());
    expect(await owner(T)).toBe(runs[0]!.instance);

    // Claims are per minute: a later second of the same minute runs nowhere.
    expect(await ticks.tick('digest-like', plus(30_000))).toBe(2);
    expect(runs).toHaveLength(1);

    // The next minute is claimed and run again, once.
    expect(await ticks.tick('digest-like', plus(60_000))).toBe(2);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.at).toBe(plus(60_000).toISOString());
    expect(await owner(plus(60_000))).toBe(runs[1]!.instance);

    // runNow is an operator's command: it runs wherever it is asked, without a claim.
    await b.runNow('digest-like', plus(60_000));
    expect(runs.map((r) => r.instance).at(-1)).toBe('b');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('waits for readiness before the first run, scheduled or on demand, and can run a job on demand', async () => {
    const ticks = manualTicks();
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    const ran: number[] = [];
    const scheduler = startJobs(
      [
        {
          name: 'manual',
          schedule: '0 0 1 1 *',
          once: false,
          async run(_d: unknown, now: Date) {
            ran.push(now.getTime());
          },
        },
      ],
      {},
      { log: captureLogger('silent').log, ready, ticks: ticks.source },
    );
    const ticked = ticks.tick('manual', new Date(7));
    const pending = scheduler.runNow('manual', new Date(42));
    await settle();
    expect(ran).toEqual([]);
    release();
    await Promise.all([ticked, pending]);
    expect(ran.sort((x, y) => x - y)).toEqual([7, 42]);
    await expect(scheduler.runNow('missing')).rejects.toThrow('No job named missing');
    await scheduler.stop();
  });

  it('runs nothing that was waiting for readiness once stopped', async () => {
    const ticks = manualTicks();
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    const ran: Date[] = [];
    const scheduler = startJobs(
      [{ name: 'late', schedule: '* * * * *', once: false, run: async (_d: unknown, now: Date) => void ran.push(now) }],
      {},
      { log: captureLogger('silent').log, ready, ticks: ticks.source },
    );
    const ticked = ticks.tick('late', T);
    const stopping = scheduler.stop();
    release();
    expect(await ticked).toBe(1); // the tick reached the scheduler, which was stopped before it could run
    await stopping;
    expect(ran).toEqual([]);
  });

  it('refuses a job whose cron expression is invalid', () => {
    const ticks = manualTicks();
    expect(() =>
      startJobs(
        [{ name: 'broken', schedule: 'every tuesday', run: async () => {} }],
        {},
        { log: captureLogger('silent').log, ticks: ticks.source },
      ),
    ).toThrow('Job broken: invalid cron expression "every tuesday"');
    expect(ticks.scheduled()).toEqual([]);
  });
});

describe('node-cron ticks (production)', () => {
  it('tick at each time the expression matches, in the job’s time zone, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T23:59:58.500Z') });
    const every: Date[] = [];
    const daily: Date[] = [];
    const stopEvery = cronTicks.every(
      { name: 'each-second', schedule: '* * * * * *' },
      async (now) => void every.push(now),
    );
    // 09:00 in Tokyo is 00:00 UTC.
    const stopDaily = cronTicks.every(
      { name: 'tokyo-nine', schedule: '0 9 * * *', timezone: 'Asia/Tokyo' },
      async (now) => void daily.push(now),
    );
    await vi.advanceTimersByTimeAsync(3_000);
    expect(every.map((d) => d.toISOString())).toEqual([
      '2026-03-01T23:59:59.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T00:00:01.000Z',
    ]);
    expect(daily.map((d) => d.toISOString())).toEqual(['2026-03-02T00:00:00.000Z']);

    await Promise.all([stopEvery(), stopDaily()]);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(every).toHaveLength(3);
    expect(daily).toHaveLength(1);
  });
});
