import { describe, expect, it } from 'vitest';
import { BudgetExhaustedError, QuotaExceededError } from '../../src/core/errors.js';
import { QuotaBreaker } from '../../src/spotify/breaker.js';
import { RequestBudget } from '../../src/spotify/budget.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const HOUR = 3_600_000;

/** Spends `n` requests at `priority`, then writes the counts as the gateway does after a request. */
async function spend(budget: RequestBudget, n: number) {
  for (let i = 0; i < n; i++) await budget.spend('interactive');
  await budget.persist();
}

describe('the Spotify request budget across processes', () => {
  it('two processes spend from one daily budget: each sees the other’s requests within seconds', async () => {
    let now = Date.parse('2027-03-01T10:00:00Z');
    const clock = () => now;
    const namespace = store().namespace('spotify-budget-shared');
    const a = new RequestBudget(100, namespace, clock, 'process-a');
    const b = new RequestBudget(100, namespace, clock, 'process-b');
    expect([await a.remaining('interactive'), await b.remaining('interactive')]).toEqual([100, 100]);
    await spend(a, 30);
    await spend(b, 50);
    now += 5_000;
    expect([await a.remaining('interactive'), await b.remaining('interactive')]).toEqual([20, 20]);
    // Background work stops at 70 % of the day's budget, counted over both processes.
    expect(await a.remaining('background')).toBe(0);
    // A third process spends the rest; the others are turned away once they have read it.
    const c = new RequestBudget(100, namespace, clock, 'process-c');
    await spend(c, 20);
    now += 5_000;
    await expect(b.spend('interactive')).rejects.toBeInstanceOf(BudgetExhaustedError);
    await expect(a.spend('interactive')).rejects.toBeInstanceOf(BudgetExhaustedError);
    // A restarted process (a new instance id) still counts what its previous run spent.
    const restarted = new RequestBudget(100, namespace, clock, 'process-a-again');
    expect(await restarted.remaining('interactive')).toBe(0);
    // 24 hours on, the day's requests have rolled out of the window for everyone.
    now += 24 * HOUR;
    expect([await a.remaining('interactive'), await restarted.remaining('interactive')]).toEqual([100, 100]);
  });

  it('still counts what a process saved before processes had keys of their own', async () => {
    const now = Date.parse('2027-03-02T10:00:00Z');
    const namespace = store().namespace('spotify-budget-legacy');
    await namespace.set('buckets', { [Math.floor(now / HOUR)]: 40 });
    const budget = new RequestBudget(100, namespace, () => now, 'new-process');
    expect(await budget.remaining('interactive')).toBe(60);
  });
});

describe('the quota breaker across processes', () => {
  it('when Spotify tells one process the quota is spent, the others stop calling within seconds, until the time it gave', async () => {
    let now = Date.parse('2027-03-03T10:00:00Z');
    const clock = () => now;
    const namespace = store().namespace('spotify-breaker-shared');
    const a = new QuotaBreaker(namespace, clock);
    const b = new QuotaBreaker(namespace, clock);
    await a.check();
    await b.check();
    const until = now + 6 * HOUR;
    await a.trip(until);
    await expect(a.check()).rejects.toBeInstanceOf(QuotaExceededError);
    now += 5_000;
    await expect(b.check()).rejects.toEqual(new QuotaExceededError(until));
    expect(b.resumesAt).toBe(until);
    now = until;
    await b.check();
  });
});
