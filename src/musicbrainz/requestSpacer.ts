/**
 * Spaces calls at least `intervalMs` apart, in arrival order. MusicBrainz allows one request per
 * second per client and answers 503 to anything faster, so every client in the process shares one.
 */
export interface RequestSpacer {
  schedule<T>(task: () => Promise<T>): Promise<T>;
}

export function createRequestSpacer(
  intervalMs: number,
  now: () => number = Date.now,
  /** Waits this long; a real timer by default (tests move their clock instead). */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): RequestSpacer {
  let nextSlot = 0;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const wait = nextSlot - now();
        if (wait > 0) await sleep(wait);
        try {
          return await task();
        } finally {
          // Counted from the answer, not the start: a request held up on its way (a busy machine, a
          // slow network) must not arrive at MusicBrainz less than a second after the one before.
          nextSlot = now() + intervalMs;
        }
      });
      // A failed task must not stall the queue for everyone behind it.
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** The process-wide spacer for musicbrainz.org: 1 request per second. */
export const musicBrainzSpacer: RequestSpacer = createRequestSpacer(1_000);
