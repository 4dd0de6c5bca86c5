/**
 * A clock that never makes the test wait: every timer the pacer sets and every backoff the transport
 * sleeps is recorded, moves this clock forward to its end, and fires at once. Tests assert the waits
 * that were asked for (`timers`, `sleeps`) instead of sitting them out.
 */
export function recordingClock(start = Date.now()) {
  let time = start;
  const timers: number[] = [];
  const sleeps: number[] = [];
  const after = (ms: number, fn: () => void) => {
    const at = time + ms;
    let cancelled = false;
    setImmediate(() => {
      if (cancelled) return;
      time = Math.max(time, at);
      fn();
    });
    return () => void (cancelled = true);
  };
  const now = () => time;
  const setTimer = (fn: () => void, ms: number) => {
    timers.push(ms);
    return after(ms, fn);
  };
  const sleep = (ms: number) => {
    sleeps.push(ms);
    return new Promise<void>((resolve) => after(ms, resolve));
  };
  /** `gateway` holds the options that put the pacer, the backoff and the gateway's idea of now on this clock. */
  return { timers, sleeps, now, setTimer, sleep, gateway: { now, setTimer, sleep } };
}
