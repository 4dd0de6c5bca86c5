import { describe, expect, it } from 'vitest';
import { startJobs, type Job } from '../../src/jobs/scheduler.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';

const testStore = useTestStore();

describe('the job scheduler', () => {
  it('runs a job every tick with its dependencies, and keeps going after a failing run', async () => {
    const seen: Date[] = [];
    const job: Job<{ seen: Date[] }> = {
      name: 'every-second',
      schedule: '* * * * * *',
      once: false,
      async run(deps, now) {
        deps.seen.push(now);
        if (deps.seen.length === 1) throw new Error('first run fails');
      },
    };
    const captured = captureLogger('info');
    const scheduler = startJobs([job], { seen }, { log: captured.log });
    await new Promise((r) => setTimeout(r, 2_600));
    await scheduler.stop();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(captured.lines().some((l) => l.msg === 'job failed' && l.job === 'every-second')).toBe(true);
    const afterStop = seen.length;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(seen.length).toBe(afterStop);
  });

  it('runs each scheduled tick on only one of several instances sharing the store', async () => {
    const runs: string[] = [];
    const job = (instance: string): Job<unknown> => ({
      name: 'digest-like',
      schedule: '* * * * * *',
      async run() {
        runs.push(instance);
      },
    });
    const { log } = captureLogger('silent');
    const a = startJobs([job('a')], {}, { log, claims: testStore().claims, instanceId: 'a' });
    const b = startJobs([job('b')], {}, { log, claims: testStore().claims, instanceId: 'b' });
    // Claims are per minute; wait for at least one tick to land on both schedulers.
    await new Promise((r) => setTimeout(r, 2_300));
    await Promise.all([a.stop(), b.stop()]);
    const minutes = new Set((await testStore().pool.query(`SELECT id FROM encore_claims WHERE kind = 'job:digest-like'`)).rows.map((r) => r.id));
    expect(runs.length).toBe(minutes.size);
  });

  it('waits for readiness before the first run and can run a job on demand', async () => {
    let release!: () => void;
    const ready = new Promise<void>((r) => (release = r));
    const ran: number[] = [];
    const scheduler = startJobs(
      [{ name: 'manual', schedule: '0 0 1 1 *', async run(_d: unknown, now: Date) { ran.push(now.getTime()); } }],
      {},
      { log: captureLogger('silent').log, ready },
    );
    const pending = scheduler.runNow('manual', new Date(42));
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toEqual([]);
    release();
    await pending;
    expect(ran).toEqual([42]);
    await expect(scheduler.runNow('missing')).rejects.toThrow('No job named missing');
    await scheduler.stop();
  });
});
