import { expect } from 'vitest';

/**
 * Polls (bounded) for something another process or socket will do (a child bot, a real gateway, a
 * restarted Postgres): no clock of ours moves it. Resolves with whether it came about; for waits whose
 * end the test does not assert itself, use waitUntil.
 */
export async function pollUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 10) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return condition();
}

/** Waits as pollUntil does, and asserts at the end that `condition` holds. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await pollUntil(condition, timeoutMs);
  expect(condition(), what).toBe(true);
}
