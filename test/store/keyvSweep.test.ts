import { describe, expect, it } from 'vitest';
import { sweepExpiredKeyv } from '../../src/store/keyvSweep.js';
import { useTestStore } from '../support/database.js';

const testStore = useTestStore();

describe('sweeping expired keyv rows', () => {
  it('deletes rows whose TTL passed, keeps rows without a TTL or with one still running, and keyv still reads those', async () => {
    const store = testStore();
    const tokens = store.namespace<{ userId: string }>('sweep-test-tokens');
    const kept = store.namespace<string[]>('sweep-test-kept');
    for (let k = 0; k < 12; k++) await tokens.set(`old-${k}`, { userId: `u${k}` }, 60_000);
    await tokens.set('fresh', { userId: 'u-fresh' }, 3_600_000);
    await kept.set('forever', ['a "expires":1} lookalike inside the value']);
    const count = async (prefix: string) =>
      Number(
        (await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM keyv WHERE key LIKE $1`, [`${prefix}%`]))
          .rows[0]!.n,
      );
    expect(await count('sweep-test-')).toBe(14);

    // Ten minutes on: the one-minute tokens are past their TTL, in batches smaller than their number.
    const deleted = await sweepExpiredKeyv(store.pool, Date.now() + 10 * 60_000, 5);
    expect(deleted).toBe(12);
    expect(await count('sweep-test-tokens:old-')).toBe(0);
    expect(await tokens.get('fresh')).toEqual({ userId: 'u-fresh' });
    expect(await kept.get('forever')).toEqual(['a "expires":1} lookalike inside the value']);
  });
});
