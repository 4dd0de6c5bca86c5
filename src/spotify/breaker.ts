import type Keyv from 'keyv';
import { QuotaExceededError } from '../core/errors.js';

/**
 * The quota breaker: once Spotify says the development-mode quota is spent, no request leaves the
 * process until the time it gave. Persisted, so a restart doesn't hammer Spotify again.
 */
export class QuotaBreaker {
  private openUntil = 0;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly store: Keyv<{ until: number }>,
    private readonly now: () => number,
  ) {}

  private load(): Promise<void> {
    this.loaded ??= this.store.get('quota').then((saved) => {
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
