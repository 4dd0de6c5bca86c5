import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressEdits } from '../../src/discord/progress.js';

/** A Discord edit that resolves when the test says so, as a slow API answer would. */
function slowEdits() {
  const sent: string[] = [];
  const waiting: Array<() => void> = [];
  const send = (message: string) =>
    new Promise<void>((resolve) => {
      sent.push(message);
      waiting.push(resolve);
    });
  return { sent, send, answerAll: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

afterEach(() => void vi.useRealTimers());

describe('progressEdits, the one progress throttle', () => {
  it('sends the first update at once, then at most one per interval, dropping those in between', async () => {
    let now = 10_000;
    const sent: string[] = [];
    const progress = progressEdits(async (m: string) => void sent.push(m), { intervalMs: 1_500, now: () => now });
    progress.update('a');
    now += 1_000;
    progress.update('b');
    now += 499;
    progress.update('c');
    now += 1;
    progress.update('d');
    now += 5_000;
    progress.update('e');
    await progress.flush();
    expect(sent).toEqual(['a', 'd', 'e']);
  });

  it('flush waits for the edits in flight and sends nothing afterwards, so the final reply lands last', async () => {
    let now = 0;
    const edits = slowEdits();
    const progress = progressEdits(edits.send, { intervalMs: 10, now: () => now });
    progress.update('first');
    now += 10;
    progress.update('second');
    let flushed = false;
    const flushing = progress.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    now += 100;
    progress.update('after the end');
    // Edits go out one after another: the second starts once Discord answered the first.
    edits.answerAll();
    await vi.waitFor(() => expect(edits.sent).toEqual(['first', 'second']));
    edits.answerAll();
    await flushing;
    expect(edits.sent).toEqual(['first', 'second']);
  });

  it('a failed edit does not stop the ones after it, nor make flush throw', async () => {
    let now = 0;
    const sent: string[] = [];
    const progress = progressEdits(
      async (m: string) => {
        sent.push(m);
        if (m === 'a') throw new Error('Unknown Message');
      },
      { intervalMs: 1, now: () => now },
    );
    progress.update('a');
    now += 1;
    progress.update('b');
    await expect(progress.flush()).resolves.toBeUndefined();
    expect(sent).toEqual(['a', 'b']);
  });

  it('showAfter shows a slow answer is working once its delay passed, and never when the answer came first', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const slow = progressEdits(async (m: string) => void sent.push(m));
    slow.showAfter(1_500, 'working…');
    await vi.advanceTimersByTimeAsync(1_499);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await slow.flush();
    expect(sent).toEqual(['working…']);

    const quick = progressEdits(async (m: string) => void sent.push(`quick ${m}`));
    quick.showAfter(1_500, 'working…');
    await vi.advanceTimersByTimeAsync(1_000);
    await quick.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual(['working…']);
  });
});
