import type { TickSource } from '../../src/jobs/scheduler.js';

/** A tick source fired by hand (see `manualTicks`). */
export type ManualTicks = ReturnType<typeof manualTicks>;

/**
 * A tick source the test fires by hand. Several schedulers given the same source stand for several
 * instances on one wall clock: `tick` reaches every one of them at the same moment.
 */
export function manualTicks() {
  const subscribers = new Set<{
    name: string;
    schedule: string;
    timezone?: string;
    onTick: (now: Date) => Promise<void>;
  }>();
  const source: TickSource = {
    every(job, onTick) {
      const subscriber = { ...job, onTick };
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
  };
  return {
    source,
    /** The jobs currently scheduled on this source, one entry per scheduler. */
    scheduled: () => [...subscribers].map(({ name, schedule, timezone }) => ({ name, schedule, timezone })),
    /**
     * Fires tick `now` for job `name` on every scheduler that schedules it; resolves when their runs
     * finished, with how many schedulers were reached.
     */
    async tick(name: string, now: Date): Promise<number> {
      const reached = [...subscribers].filter((s) => s.name === name);
      await Promise.all(reached.map((s) => s.onTick(now)));
      return reached.length;
    },
  };
}
