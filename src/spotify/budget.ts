import type Keyv from 'keyv';
import { BudgetExhaustedError } from '../core/errors.js';
import type { Priority } from './types.js';

const HOUR = 3_600_000;

/** Share of the daily budget each priority may use: background work stops well before interactive. */
export const PRIORITY_SHARE: Record<Priority, number> = { interactive: 1, background: 0.7, warming: 0.4 };

/**
 * A rolling 24-hour request budget in hourly buckets, persisted so restarts keep counting.
 * Development-mode apps get roughly 1,100+ requests a day before Spotify's own quota answers 429.
 */
export class RequestBudget {
  private buckets = new Map<number, number>();
  private loaded: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly dailyLimit: number,
    private readonly store: Keyv<Record<string, number>>,
    private readonly now: () => number,
  ) {}

  private load(): Promise<void> {
    this.loaded ??= this.store.get('buckets').then((saved) => {
      for (const [hour, count] of Object.entries(saved ?? {}))
        this.buckets.set(Number(hour), (this.buckets.get(Number(hour)) ?? 0) + count);
    });
    return this.loaded;
  }

  private used(): number {
    const oldest = Math.floor(this.now() / HOUR) - 23;
    let total = 0;
    for (const [hour, count] of this.buckets) {
      if (hour < oldest) this.buckets.delete(hour);
      else total += count;
    }
    return total;
  }

  async remaining(priority: Priority): Promise<number> {
    await this.load();
    return Math.max(0, Math.floor(this.dailyLimit * PRIORITY_SHARE[priority]) - this.used());
  }

  /** Whether `requests` more fit today at this priority. */
  async fits(requests: number, priority: Priority): Promise<boolean> {
    return (await this.remaining(priority)) >= requests;
  }

  /** Counts one request, or throws BudgetExhaustedError when this priority's share is spent. */
  async spend(priority: Priority): Promise<void> {
    if ((await this.remaining(priority)) < 1) {
      const oldest = Math.min(...this.buckets.keys());
      throw new BudgetExhaustedError(priority, (oldest + 24) * HOUR);
    }
    const hour = Math.floor(this.now() / HOUR);
    this.buckets.set(hour, (this.buckets.get(hour) ?? 0) + 1);
    this.dirty = true;
  }

  private lastPersist = 0;
  private trailing: NodeJS.Timeout | undefined;

  /**
   * Writes the counters at most once a second (a trailing write catches the rest), so counting
   * costs no database round trip per request; a crash loses at most a second of counts.
   */
  async persist(): Promise<void> {
    if (!this.dirty) return;
    const wait = this.lastPersist + 1_000 - Date.now();
    if (wait > 0) {
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        void this.persist().catch(() => {});
      }, wait).unref();
      return;
    }
    this.dirty = false;
    this.lastPersist = Date.now();
    await this.store.set('buckets', Object.fromEntries(this.buckets));
  }
}
