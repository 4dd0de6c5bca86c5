import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import { BudgetExhaustedError } from '../core/errors.js';
import type { Priority } from './types.js';

const HOUR = 3_600_000;
/** How often a process reads the other processes' counts. */
const READ_OTHERS_MS = 5_000;

/** Share of the daily budget each priority may use: background work stops well before interactive. */
export const PRIORITY_SHARE: Record<Priority, number> = { interactive: 1, background: 0.7, warming: 0.4 };

/**
 * A rolling 24-hour request budget in hourly buckets, persisted so restarts keep counting.
 * Development-mode apps get roughly 1,100+ requests a day before Spotify's own quota answers 429.
 *
 * Spotify counts the quota per app, so every process of Encore spends from one budget: each
 * writes its own counts under a key of its own (no two processes overwrite each other) and reads
 * the others' every few seconds. A process's view of the others lags by those seconds at most.
 */
export class RequestBudget {
  /** This process's requests per hour. */
  private buckets = new Map<number, number>();
  /** Everyone else's (other processes, earlier runs of this one), as last read. */
  private others = new Map<number, number>();
  private loaded: Promise<void> | undefined;
  private lastRead = Number.NEGATIVE_INFINITY;
  private dirty = false;
  private readonly ownKey: string;

  constructor(
    private readonly dailyLimit: number,
    private readonly store: Keyv<Record<string, number> | string[]>,
    private readonly now: () => number,
    instanceId: string = randomBytes(6).toString('hex'),
  ) {
    this.ownKey = `buckets:${instanceId}`;
  }

  /** Reads every other process's counts, and makes sure this one is listed for them to read. */
  private async readOthers(): Promise<void> {
    this.lastRead = this.now();
    const oldest = Math.floor(this.now() / HOUR) - 23;
    const listed = ((await this.store.get('instances')) as string[] | undefined) ?? [];
    // 'buckets' is where a single process kept its counts before processes had keys of their own.
    const keys = [...new Set(['buckets', ...listed])].filter((k) => k !== this.ownKey);
    const values = keys.length ? await this.store.getMany(keys) : [];
    const others = new Map<number, number>();
    const live: string[] = [];
    values.forEach((saved, i) => {
      const counts = Object.entries((saved as Record<string, number> | undefined) ?? {}).filter(
        ([hour]) => Number(hour) >= oldest,
      );
      if (counts.length && keys[i] !== 'buckets') live.push(keys[i]!);
      for (const [hour, count] of counts) others.set(Number(hour), (others.get(Number(hour)) ?? 0) + count);
    });
    this.others = others;
    // Processes with nothing in the last 24 h drop off the list; this one joins it. Two processes
    // writing the list at once may lose one entry: the loser adds itself back at its next read.
    const wanted = [...live, this.ownKey].sort();
    if (wanted.join() !== [...listed].sort().join()) await this.store.set('instances', wanted);
  }

  private load(): Promise<void> {
    this.loaded ??= this.store.get(this.ownKey).then(async (saved) => {
      for (const [hour, count] of Object.entries((saved as Record<string, number> | undefined) ?? {}))
        this.buckets.set(Number(hour), (this.buckets.get(Number(hour)) ?? 0) + count);
      await this.readOthers();
    });
    return this.loaded;
  }

  private async fresh(): Promise<void> {
    await this.load();
    if (this.now() - this.lastRead >= READ_OTHERS_MS) await this.readOthers();
  }

  private used(): number {
    const oldest = Math.floor(this.now() / HOUR) - 23;
    let total = 0;
    for (const buckets of [this.buckets, this.others])
      for (const [hour, count] of buckets) {
        if (hour < oldest) buckets.delete(hour);
        else total += count;
      }
    return total;
  }

  async remaining(priority: Priority): Promise<number> {
    await this.fresh();
    return Math.max(0, Math.floor(this.dailyLimit * PRIORITY_SHARE[priority]) - this.used());
  }

  /** Whether `requests` more fit today at this priority. */
  async fits(requests: number, priority: Priority): Promise<boolean> {
    return (await this.remaining(priority)) >= requests;
  }

  /** Counts one request, or throws BudgetExhaustedError when this priority's share is spent. */
  async spend(priority: Priority): Promise<void> {
    if ((await this.remaining(priority)) < 1) {
      const oldest = Math.min(...this.buckets.keys(), ...this.others.keys());
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
    await this.store.set(this.ownKey, Object.fromEntries(this.buckets));
  }
}
