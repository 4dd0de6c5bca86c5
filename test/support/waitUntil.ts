import { expect } from 'vitest';

/**
 * Waits for something another process or socket will do (a child bot, a real gateway, a restarted
 * Postgres): no clock of ours moves it, so it is polled, bounded, and asserted at the end.
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs && !condition(); waited += 10) await new Promise((r) => setTimeout(r, 10));
  expect(condition(), what).toBe(true);
}
