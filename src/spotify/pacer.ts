import type { Priority } from './types.js';

/** Who is waiting: a member's queue, at one priority. */
export interface PaceOptions {
  /** An opaque key for the member the request is for; each member waits in their own queue. */
  member: string;
  priority: Priority;
  /** Gives up waiting (the request leaves the queue, and run rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Starts `fn` after `ms` milliseconds; returns a function that cancels it. Injected in tests. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

const realTimer: SetTimer = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/**
 * Where the pacer gets permission to start a request: this process's own grid by default
 * (`LocalGrid`), or start slots shared by every process of the app (src/spotify/sharedRate.ts).
 * The pacer still decides *which* waiting request takes a start; the permits decide *when*.
 */
export interface StartPermits {
  /**
   * When the next start may happen (now or later), for one of `wanted` requests ready to go; or
   * undefined while permission is being asked for elsewhere, in which case `wake` is called once
   * the answer is in.
   */
  next(now: number, wanted: number, wake: () => void): number | undefined;
  /** A start was taken at `now` on the permission for `at` (the later of `next` and any pause). */
  use(now: number, at: number): void;
  /** Tells whoever else shares the rate that everyone waits until `time` (a 429's Retry-After). */
  pauseUntil?(time: number): void;
  /** Until when starts are held by someone else's pause, as last heard; 0 when none. */
  readonly heldUntil?: number;
}

/** Starts 1000/`perSecond` ms apart for this process alone. */
export class LocalGrid implements StartPermits {
  private readonly intervalMs: number;
  private nextStart: number;

  /** `lastStart`: when a start was last taken elsewhere (another grid this one takes over from). */
  constructor(perSecond: number, lastStart = Number.NEGATIVE_INFINITY) {
    this.intervalMs = 1000 / perSecond;
    this.nextStart = lastStart + this.intervalMs;
  }

  next(): number {
    return this.nextStart;
  }

  use(now: number, at: number): void {
    // Stay on the grid when a timer fired a little late, so timer lateness does not lower the rate.
    this.nextStart = (now - at < this.intervalMs ? at : now) + this.intervalMs;
  }
}

/** Highest first. */
const PRIORITIES: readonly Priority[] = ['interactive', 'background', 'warming'];
/**
 * While higher-priority work keeps the pacer busy, a waiting lower priority still gets one start in
 * this many, so background collection and warming slow down under load but never stop.
 */
export const LOWER_PRIORITY_TURN_EVERY = 5;

interface Waiter {
  start(): void;
}
interface Lane {
  member: string;
  waiters: Waiter[];
}
interface Level {
  /** Members with requests waiting at this priority, in round-robin order. */
  ring: Lane[];
  lanes: Map<string, Lane>;
  /** Starts given to higher priorities in a row while this one waited. */
  passedOver: number;
}

/**
 * One pacer for the whole process, fair between members and priorities.
 *
 * Global limits, as before: at most `concurrency` requests in flight, request starts 1000/`perSecond`
 * ms apart (on a grid: a timer that fires late does not lower the rate), and a shared pause when
 * Spotify answered 429 (Retry-After) for everyone. With shared `permits`, the starts are the app's
 * across every process instead of this process's alone.
 *
 * Who starts next: the highest priority with requests waiting (interactive, then background, then
 * warming; a lower priority passed over LOWER_PRIORITY_TURN_EVERY - 1 times in a row gets the next
 * start), and within a priority the members take turns, one request each (round robin). A member's
 * thousand queued requests therefore take their share, never the whole pacer: another member's
 * single request starts after at most one start per other member waiting at its priority. The
 * choice is made at the moment a start is allowed, so nothing is committed to a member in advance.
 */
export class Pacer {
  private inFlight = 0;
  private waiting = 0;
  private pausedUntil = 0;
  private timer?: { at: number; cancel: () => void };
  private readonly levels = new Map<Priority, Level>(
    PRIORITIES.map((p) => [p, { ring: [], lanes: new Map(), passedOver: 0 }]),
  );
  private readonly permits: StartPermits;
  private readonly wake = () => this.pump();

  constructor(
    private readonly concurrency: number,
    perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly setTimer: SetTimer = realTimer,
    permits?: StartPermits,
  ) {
    this.permits = permits ?? new LocalGrid(perSecond);
  }

  /** Everyone waits until this time (a 429's Retry-After); other processes too, with shared permits. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.permits.pauseUntil?.(time);
    this.pump();
  }

  /** Until when no request starts: this process's pause, or one another process reported. */
  get pausedUntilTime(): number {
    return Math.max(this.pausedUntil, this.permits.heldUntil ?? 0);
  }

  /** Requests waiting for a start, per priority (for metrics and tests). */
  queued(): Record<Priority, number> {
    const count = (p: Priority) =>
      [...this.levels.get(p)!.lanes.values()].reduce((n, lane) => n + lane.waiters.length, 0);
    return { interactive: count('interactive'), background: count('background'), warming: count('warming') };
  }

  async run<T>(task: () => Promise<T>, options: PaceOptions = { member: '', priority: 'interactive' }): Promise<T> {
    await this.acquire(options);
    try {
      return await task();
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  private acquire({ member, priority, signal }: PaceOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      signal?.throwIfAborted();
      const level = this.levels.get(priority)!;
      let lane = level.lanes.get(member);
      if (!lane) {
        lane = { member, waiters: [] };
        level.lanes.set(member, lane);
        level.ring.push(lane);
      }
      const onAbort = () => {
        if (!this.remove(level, lane, waiter)) return;
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      lane.waiters.push(waiter);
      this.waiting++;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  private remove(level: Level, lane: Lane, waiter: Waiter): boolean {
    const index = lane.waiters.indexOf(waiter);
    if (index < 0) return false;
    lane.waiters.splice(index, 1);
    this.waiting--;
    if (lane.waiters.length === 0) this.dropLane(level, lane);
    return true;
  }

  private dropLane(level: Level, lane: Lane): void {
    level.lanes.delete(lane.member);
    level.ring.splice(level.ring.indexOf(lane), 1);
    if (level.ring.length === 0) level.passedOver = 0;
  }

  /** Starts whatever the limits allow now, and sets a timer for the next start the clock holds back. */
  private pump(): void {
    while (this.waiting > 0 && this.inFlight < this.concurrency) {
      const now = this.now();
      // Asked before the permits, so no permission is sought for starts a pause would waste.
      if (this.pausedUntil > now) return this.wakeAt(this.pausedUntil);
      const permitted = this.permits.next(now, Math.min(this.waiting, this.concurrency - this.inFlight), this.wake);
      if (permitted === undefined) return;
      const at = Math.max(permitted, this.pausedUntil);
      if (at > now) return this.wakeAt(at);
      const waiter = this.takeNext();
      this.inFlight++;
      this.permits.use(now, at);
      waiter.start();
    }
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timer.at <= at) return;
    this.timer?.cancel();
    const timer = {
      at,
      cancel: this.setTimer(() => {
        if (this.timer === timer) this.timer = undefined;
        this.pump();
      }, at - this.now()),
    };
    this.timer = timer;
  }

  /** The next waiter to start: priority first (with a turn for starved lower priorities), then round robin between members. */
  private takeNext(): Waiter {
    const busy = PRIORITIES.filter((p) => this.levels.get(p)!.ring.length > 0);
    const chosen =
      busy.slice(1).find((p) => this.levels.get(p)!.passedOver >= LOWER_PRIORITY_TURN_EVERY - 1) ?? busy[0]!;
    for (const p of busy) {
      const level = this.levels.get(p)!;
      level.passedOver = p === chosen ? 0 : level.passedOver + 1;
    }
    const level = this.levels.get(chosen)!;
    const lane = level.ring.shift()!;
    const waiter = lane.waiters.shift()!;
    this.waiting--;
    if (lane.waiters.length > 0) level.ring.push(lane);
    else {
      level.lanes.delete(lane.member);
      if (level.ring.length === 0) level.passedOver = 0;
    }
    return waiter;
  }
}
