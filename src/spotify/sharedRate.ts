import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { LocalGrid, type SetTimer, type StartPermits } from './pacer.js';

/**
 * Request-start slots shared by every process of the app (Postgres, in production: the store's
 * `createSharedRateLimit`). src/spotify is handed this port and never imports src/store.
 */
export interface SharedRateStore {
  /**
   * Reserves `count` starts `intervalMs` apart for `holder`, the first at the next free start or
   * `now`, whichever is later; nothing is reserved (`granted` false) when that first start is more
   * than `horizonMs` away. `sharers`: how many processes reserved lately, this one included.
   */
  reserve(request: {
    bucket: string;
    holder: string;
    count: number;
    intervalMs: number;
    now: number;
    horizonMs: number;
  }): Promise<{ first: number; granted: boolean; sharers: number }>;
  /** Nobody starts before `until`. */
  pause(bucket: string, until: number): Promise<void>;
}

/**
 * Starts reserved per round trip at most: about a quarter second's worth, so a busy process asks the
 * database a few times a second, and an idle one's unused reservation costs the others little.
 */
export const MAX_BATCH_SECONDS = 0.25;
/** A reservation whose first start is further off than this is refused: the process waits instead of holding slots. */
export const HORIZON_MS = 1_000;
/** An answer slower than this counts as the database being unreachable. */
export const ASK_TIMEOUT_MS = 2_000;
/** While the database is unreachable, how often one reservation probes it again (on the clock's grid). */
export const RETRY_MS = 5_000;
/** How many processes share the rate, before the database has said (only if it is down from the start). */
export const ASSUMED_SHARERS = 2;

const unrefTimer: SetTimer = (fn, ms) => {
  const handle = setTimeout(fn, ms).unref();
  return () => clearTimeout(handle);
};

export interface SharedPermitsOptions {
  /** Whose rate: one per Spotify app (its client id). */
  bucket: string;
  /** Request starts per second for the whole app. */
  perSecond: number;
  now: () => number;
  /** For the answer's timeout; a real timer that does not hold the process open by default. */
  setTimer?: SetTimer;
  log: Logger;
  /** This process, among the holders (random by default). */
  holder?: string;
}

/**
 * Start permits from the app's shared rate: the pacer asks for a start, these reserve a small batch of
 * start slots from the shared store (one round trip for up to MAX_BATCH_SECONDS of starts) and hand
 * them out on time. Slots are anonymous: the pacer picks which waiting request takes each, so
 * fairness between members and priorities stays the pacer's, and a slot reserved for background work
 * goes to an interactive request that arrived meanwhile.
 *
 * Every process's starts are therefore 1000/perSecond ms apart from each other's, as one process's
 * were. A slot is used no later than its time plus one interval plus the reservation's round trip,
 * or dropped: starting late slots together would be a burst. (Slots on one grid rather than a token
 * bucket: a bucket refilled by time lets its whole capacity go in one burst, and a capacity small
 * enough to keep every second within the rate would cost a round trip per request.) A batch is as
 * many slots as requests are ready to go, so a process with one request waiting reserves one slot
 * and leaves the others nothing unused to skip over; measured, a busy process asks about once per
 * four requests (`npm run bench -- sharedRate`).
 *
 * When the store does not answer (an error, or no answer within ASK_TIMEOUT_MS) the process paces
 * alone at perSecond divided by the processes it last saw sharing the rate (Spotify traffic goes
 * on, and the app's total stays about the rate if the others do the same), and probes the store
 * again every RETRY_MS.
 */
export class SharedStartPermits implements StartPermits {
  private slots: number[] = [];
  /** How late a slot of the current batch may still be used. */
  private graceMs = 0;
  private asking = false;
  private held = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  private sharers = ASSUMED_SHARERS;
  /** Set while the store is unreachable: this process's own grid at its share of the rate. */
  private fallback?: { grid: LocalGrid; retryAt: number };
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly holder: string;
  private readonly setTimer: SetTimer;

  constructor(
    private readonly store: SharedRateStore,
    private readonly options: SharedPermitsOptions,
  ) {
    this.intervalMs = 1000 / options.perSecond;
    this.maxBatch = Math.max(1, Math.floor(options.perSecond * MAX_BATCH_SECONDS));
    this.holder = options.holder ?? randomBytes(6).toString('hex');
    this.setTimer = options.setTimer ?? unrefTimer;
  }

  get heldUntil(): number {
    return this.held;
  }

  /** Whether the shared store is unreachable and the process paces alone (metrics, tests). */
  get pacingAlone(): boolean {
    return this.fallback !== undefined;
  }

  next(now: number, wanted: number, wake: () => void): number | undefined {
    if (this.fallback) {
      // The probe goes out while this process keeps pacing alone: a store that hangs holds nothing.
      if (now >= this.fallback.retryAt && !this.asking) this.ask(1, now, wake);
      return this.fallback.grid.next();
    }
    while (this.slots.length > 0 && now - this.slots[0]! >= this.graceMs) this.slots.shift();
    if (this.slots.length > 0) return this.slots[0]!;
    if (this.held > now) return this.held;
    if (!this.asking) this.ask(Math.min(this.maxBatch, Math.max(1, wanted)), now, wake);
    return undefined;
  }

  use(now: number, at: number): void {
    this.lastStart = now;
    if (this.fallback) this.fallback.grid.use(now, at);
    else this.slots.shift();
  }

  pauseUntil(time: number): void {
    this.store.pause(this.options.bucket, time).catch((error: unknown) => {
      this.options.log.debug({ err: (error as Error).message }, 'could not share a Spotify pause');
    });
  }

  private ask(count: number, askedAt: number, wake: () => void): void {
    this.asking = true;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.asking = false;
      cancelTimeout();
      return true;
    };
    const fail = (error: unknown) => {
      if (!settle()) return;
      const now = this.options.now();
      if (!this.fallback)
        this.options.log.warn(
          { err: (error as Error).message, sharers: this.sharers },
          'shared Spotify rate unreachable: pacing this process at its share of the rate',
        );
      this.fallback = {
        // Spaced from the last shared start, so going alone does not add a start next to it.
        grid: this.fallback?.grid ?? new LocalGrid(this.options.perSecond / this.sharers, this.lastStart),
        // On a grid of the clock, so the processes that went alone come back together, not one
        // sharing again while another still paces alone (the two would add up past the rate).
        retryAt: (Math.floor(now / RETRY_MS) + 1) * RETRY_MS,
      };
      wake();
    };
    const cancelTimeout = this.setTimer(() => fail(new Error('no answer')), ASK_TIMEOUT_MS);
    this.store
      .reserve({
        bucket: this.options.bucket,
        holder: this.holder,
        count,
        intervalMs: this.intervalMs,
        now: askedAt,
        horizonMs: HORIZON_MS,
      })
      .then(({ first, granted, sharers }) => {
        if (!settle()) return;
        const wasAlone = this.fallback !== undefined;
        if (wasAlone) this.options.log.info('shared Spotify rate reachable again');
        this.fallback = undefined;
        this.sharers = Math.max(1, sharers);
        if (granted) {
          this.slots = Array.from({ length: count }, (_, i) => first + i * this.intervalMs);
          // The probe went out while this process paced alone: no slot next to its last local start.
          if (wasAlone) this.slots = this.slots.filter((slot) => slot >= this.lastStart + this.intervalMs);
          // The first slot may have been "now" when asked; the round trip must not make it stale.
          this.graceMs = this.intervalMs + (this.options.now() - askedAt);
        } else this.held = first;
        wake();
      }, fail);
  }
}
