import type pg from 'pg';

/**
 * A manual clock for processes that share a real Postgres: timers fire only when the test moves
 * time forward, and before each timer fires the clock waits until the database queries and HTTP
 * requests it was told to track have answered (the simulated time stands still meanwhile, as if
 * Postgres and Spotify answered instantly). Starts are then on the simulated clock alone.
 */
export function settlingClock(start: number) {
  let time = start;
  let seq = 0;
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<{ at: number; seq: number; fn: () => void }>();
  const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Until nothing tracked is outstanding, and the promise callbacks after it have run. */
  const settle = async () => {
    for (let rounds = 0; ; rounds++) {
      await immediate();
      await immediate();
      if (pending.size === 0) return;
      // Bounded: operations that keep starting more would otherwise spin the test instead of failing it.
      if (rounds > 20_000) throw new Error(`${pending.size} tracked operations never settled`);
      await Promise.race(pending);
    }
  };
  const clock = {
    now: () => time,
    setTimer(fn: () => void, ms: number) {
      const timer = { at: time + Math.max(0, ms), seq: seq++, fn };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    /** Counts `promise` as outstanding until it settles. */
    track<T>(promise: Promise<T>): Promise<T> {
      // Never rejects, so settle's race does not: the caller handles the promise's own outcome.
      const done: Promise<unknown> = promise.then(
        () => pending.delete(done),
        () => pending.delete(done),
      );
      pending.add(done);
      return promise;
    },
    /** Every query on `pool` is tracked. */
    trackPool(pool: pg.Pool) {
      const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
      (pool as unknown as { query: unknown }).query = (...args: unknown[]) => clock.track(query(...args));
    },
    /** A fetch whose requests are tracked. */
    fetch: ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      clock.track(fetch(input, init))) as typeof fetch,
    settle,
    /** Moves time forward by `ms`, firing each due timer at its own time, settling in between. */
    async advance(ms: number) {
      const end = time + ms;
      await settle();
      for (;;) {
        const due = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        timers.delete(due);
        time = Math.max(time, due.at);
        due.fn();
        await settle();
      }
      time = end;
      await settle();
    },
  };
  return clock;
}

/** How many of `times` fall in each simulated second from `start` on. */
export function perSecond(times: readonly number[], start: number): number[] {
  const counts: number[] = [];
  for (const t of times) {
    const second = Math.floor((t - start) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (n) => n ?? 0);
}
