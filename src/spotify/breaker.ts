import type Keyv from 'keyv';
import { QuotaExceededError } from '../core/errors.js';

/** How often a process reads whether another one tripped the breaker. */
const READ_MS = 5_000;

/**
 * The quota breaker: once Spotify says the development-mode quota is spent, no request leaves the
 * process until the time it gave. Persisted, so a restart doesn't hammer Spotify again, and read
 * again every few seconds, so the other processes stop too (the quota is per app).
 */
export class QuotaBreaker {
  private openUntil = 0;
  private loaded: Promise<void> | undefined;
  private lastRead = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Keyv<{ until: number }>,
    private readonly now: () => number,
  ) {}

  private load(): Promise<void> {
    if (this.loaded && this.now() - this.lastRead < READ_MS) return this.loaded;
    this.lastRead = this.now();
    this.loaded = this.store.get('quota').then((saved) => {
      this.openUntil = Math.max(this.openUntil, saved?.until ?? 0);
    });
    return this.loaded;
  }

  /** Throws QuotaExceededError while the breaker is open. */
  async check(): Promise<void> {
    await this.load();
    if (this.now() < this.openUntil) throw new QuotaExceededError(this.openUntil);
  }

  async trip(until: number): Promise<void> {
    this.openUntil = Math.max(this.openUntil, until);
    await this.store.set('quota', { until: this.openUntil }, Math.max(1, this.openUntil - this.now()));
  }

  get resumesAt(): number | undefined {
    return this.openUntil > this.now() ? this.openUntil : undefined;
  }
}
