import { describe, expect, it } from 'vitest';
import { startLink, type LinkingDeps } from '../../src/app/accounts/linking.js';
import { UserError } from '../../src/core/errors.js';
import { createAccountsRepository } from '../../src/store/accounts/accountsRepository.js';
import { createTokenCipher } from '../../src/store/accounts/tokenCipher.js';
import { useTestStore } from '../support/database.js';
import { aKey, aMemberId } from './factories.js';

const store = useTestStore();
const TEN_MINUTES = 10 * 60_000;

function deps(now: () => number): LinkingDeps {
  return {
    repo: createAccountsRepository(store(), createTokenCipher([aKey()])),
    spotify: {
      createPkce: () => ({ verifier: 'v', challenge: 'c' }),
      authorizationUrl: () => '',
      exchangeCode: () => Promise.reject(new Error('unused')),
      profile: () => Promise.reject(new Error('unused')),
    },
    publicUrl: 'http://127.0.0.1:1',
    userCap: 5,
    now,
  };
}

describe('the /link rate limit (3 per member per ten minutes)', () => {
  it('admits exactly three of ten requests made at the same moment', async () => {
    const member = aMemberId();
    const now = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        startLink(
          deps(() => now),
          member,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused).toHaveLength(7);
    for (const reason of refused) expect(reason).toMatchObject({ id: 'link.rateLimited' });
    const issued = await store().pool.query(
      `SELECT count(*)::int AS n FROM keyv WHERE key LIKE 'link-tokens:%' AND value::jsonb->'value'->>'discordUserId' = $1`,
      [member],
    );
    expect(issued.rows[0].n).toBe(3);
  });

  it('frees a place ten minutes after the oldest admitted request, and refusals do not push that back', async () => {
    const member = aMemberId();
    let now = Date.now();
    const at = (t: number) => deps(() => t);
    for (let i = 0; i < 3; i++) await startLink(at(now + i * 60_000), member);
    now += 5 * 60_000;
    const refused = await startLink(at(now), member).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    // The first request was at +0: at +10 min one place is free again, whatever was refused since.
    expect((refused as UserError).context.retryAt).toBe(now - 5 * 60_000 + TEN_MINUTES);
    await expect(startLink(at(now - 5 * 60_000 + TEN_MINUTES), member)).resolves.toMatchObject({
      url: expect.stringContaining('/link/'),
    });
    await expect(startLink(at(now - 5 * 60_000 + TEN_MINUTES), member)).rejects.toMatchObject({
      id: 'link.rateLimited',
    });
  });
});
