/**
 * One pacer for the whole process: at most `concurrency` requests in flight, request starts at
 * least 1000/`perSecond` ms apart, and a shared pause when Spotify answered 429 for everyone.
 */
export class Pacer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStart = 0;
  private pausedUntil = 0;

  constructor(
    private readonly concurrency: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Everyone waits until this time (a 429's Retry-After). */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  get pausedUntilTime(): number {
    return this.pausedUntil;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      const start = Math.max(this.now(), this.nextStart, this.pausedUntil);
      this.nextStart = start + 1000 / this.perSecond;
      const wait = start - this.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return await task();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
