/**
 * The one throttle for progress a member watches (a sort, a resumed sort, a slow /suggest): at most
 * one edit every `intervalMs`, so long work shows it is alive without tripping Discord's rate
 * limits. Edits go out one after another, and `flush` waits for them and sends no more, so the final
 * reply (or the error boundary's) never lands before, or under, a progress edit.
 */
export interface ProgressEdits<M> {
  /** Shows `message` unless an edit went out less than `intervalMs` ago (then it is dropped). */
  update(message: M): void;
  /** Shows `message` once, if the work is still going after `delayMs` (a slow answer says it is working). */
  showAfter(delayMs: number, message: M): void;
  /** Sends nothing more and waits for the edits in flight. */
  flush(): Promise<void>;
}

export function progressEdits<M>(
  send: (message: M) => Promise<unknown>,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressEdits<M> {
  const intervalMs = options.intervalMs ?? 1_500;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  let pending: Promise<unknown> = Promise.resolve();
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const edit = (message: M) => {
    last = now();
    pending = pending.then(() => send(message).catch(() => undefined));
  };
  return {
    update(message) {
      if (!finished && now() - last >= intervalMs) edit(message);
    },
    showAfter(delayMs, message) {
      clearTimeout(timer);
      timer = setTimeout(() => finished || edit(message), delayMs);
    },
    async flush() {
      finished = true;
      clearTimeout(timer);
      await pending;
    },
  };
}
