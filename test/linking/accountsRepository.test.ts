import { describe, expect, it } from 'vitest';
import { createAccountsRepository } from '../../src/store/accounts/accountsRepository.js';
import { createTokenCipher } from '../../src/store/accounts/tokenCipher.js';
import { useTestStore } from '../support/database.js';
import { aKey, aLink, aMemberId, someTokens } from './factories.js';

const store = useTestStore();
const key = aKey();
const repo = () => createAccountsRepository(store(), createTokenCipher([key]));
const TEN_MINUTES = 10 * 60_000;
const allRows = async () =>
  (await store().pool.query<{ key: string; value: string }>('SELECT key, value FROM keyv')).rows;

describe('one-time link tokens', () => {
  it('work once, even when ten requests race with the same token', async () => {
    const member = aMemberId();
    const now = Date.now();
    await repo().issueLinkToken('race-token', member, 'guild-1', now + TEN_MINUTES);
    const results = await Promise.all(Array.from({ length: 10 }, () => repo().consumeLinkToken('race-token', now)));
    expect(results.filter(Boolean)).toEqual([{ discordUserId: member, guildId: 'guild-1' }]);
    expect(await repo().consumeLinkToken('race-token', now)).toBeUndefined();
  });

  it('stop working ten minutes after they were issued', async () => {
    const now = Date.now();
    await repo().issueLinkToken('old-token', aMemberId(), undefined, now + TEN_MINUTES);
    expect(await repo().consumeLinkToken('old-token', now + TEN_MINUTES)).toBeUndefined();
  });

  it('can be looked at any number of times without being spent, until they expire', async () => {
    const member = aMemberId();
    const now = Date.now();
    await repo().issueLinkToken('peeked-token', member, undefined, now + TEN_MINUTES, '@peeked');
    for (let i = 0; i < 3; i++)
      expect(await repo().peekLinkToken('peeked-token', now)).toEqual({
        discordUserId: member,
        discordName: '@peeked',
      });
    expect(await repo().peekLinkToken('peeked-token', now + TEN_MINUTES)).toBeUndefined();
    expect(await repo().consumeLinkToken('peeked-token', now)).toEqual({
      discordUserId: member,
      discordName: '@peeked',
    });
    expect(await repo().peekLinkToken('peeked-token', now)).toBeUndefined();
  });

  it('are unknown when never issued', async () => {
    expect(await repo().consumeLinkToken('never-issued', Date.now())).toBeUndefined();
  });
});

describe('OAuth states', () => {
  it('carry the member and the PKCE verifier server-side, and can be used once', async () => {
    const member = aMemberId();
    const now = Date.now();
    await repo().saveState('state-1', { discordUserId: member, verifier: 'v'.repeat(64) }, now + TEN_MINUTES);
    const [a, b] = await Promise.all([repo().consumeState('state-1', now), repo().consumeState('state-1', now)]);
    expect([a, b].filter(Boolean)).toEqual([{ discordUserId: member, verifier: 'v'.repeat(64) }]);
  });

  it('expire', async () => {
    const now = Date.now();
    await repo().saveState('state-2', { discordUserId: aMemberId(), verifier: 'x' }, now + TEN_MINUTES);
    expect(await repo().consumeState('state-2', now + TEN_MINUTES + 1)).toBeUndefined();
  });
});

describe('tokens at rest', () => {
  it('are stored encrypted: no row in the database holds the access or refresh token', async () => {
    const member = aMemberId();
    const tokens = someTokens();
    await repo().saveTokens(member, tokens);
    const rows = await allRows();
    expect(rows.some((r) => r.key === `tokens:${member}`)).toBe(true);
    for (const row of rows) {
      expect(row.value).not.toContain(tokens.accessToken);
      expect(row.value).not.toContain(tokens.refreshToken);
    }
    expect(await repo().loadTokens(member)).toEqual(tokens);
  });

  it('stay readable by a repository whose current key is newer, and are re-sealed with it on the next save', async () => {
    const member = aMemberId();
    await repo().saveTokens(member, someTokens());
    const newKey = aKey();
    const rotated = createAccountsRepository(store(), createTokenCipher([newKey, key]));
    const refreshed = someTokens();
    expect(await rotated.loadTokens(member)).toBeDefined();
    await rotated.saveTokens(member, refreshed);
    expect(await createAccountsRepository(store(), createTokenCipher([newKey])).loadTokens(member)).toEqual(refreshed);
  });
});

describe('links', () => {
  it('are found by Spotify account, and relinking with another account frees the old one', async () => {
    const link = aLink();
    await repo().saveLink(link);
    expect(await repo().discordUserForAccount(link.spotifyAccountId)).toBe(link.discordUserId);
    await repo().saveLink({ ...link, spotifyAccountId: 'another-account' });
    expect(await repo().discordUserForAccount(link.spotifyAccountId)).toBeUndefined();
    expect(await repo().discordUserForAccount('another-account')).toBe(link.discordUserId);
  });

  it('count towards the user cap only while active', async () => {
    const before = await repo().countLinks();
    await repo().saveLink(aLink());
    await repo().saveLink(aLink({ status: 'dead' }));
    expect(await repo().countLinks()).toBe(before + 1);
  });

  it('deleting a member removes their link, account index and tokens, and nobody else’s', async () => {
    const [gone, kept] = [aLink(), aLink()];
    for (const link of [gone, kept]) {
      await repo().saveLink(link);
      await repo().saveTokens(link.discordUserId, someTokens());
    }
    expect(await repo().deleteUser(gone.discordUserId)).toEqual([
      { kind: 'spotify-link', count: 1 },
      { kind: 'spotify-tokens', count: 1 },
    ]);
    expect(await repo().getLink(gone.discordUserId)).toBeUndefined();
    expect(await repo().loadTokens(gone.discordUserId)).toBeUndefined();
    expect(await repo().discordUserForAccount(gone.spotifyAccountId)).toBeUndefined();
    expect(await repo().getLink(kept.discordUserId)).toEqual(kept);
    expect(await repo().deleteUser(gone.discordUserId)).toEqual([]);
  });

  it('deleting pending links removes the member’s unused link tokens, states and /link times only', async () => {
    const [member, other] = [aMemberId(), aMemberId()];
    const now = Date.now();
    await repo().admitLinkRequest(member, now, TEN_MINUTES, 1);
    await repo().issueLinkToken('pending-1', member, undefined, now + TEN_MINUTES);
    await repo().saveState('pending-state', { discordUserId: member, verifier: 'v' }, now + TEN_MINUTES);
    await repo().issueLinkToken('pending-other', other, undefined, now + TEN_MINUTES);
    expect(await repo().deletePending(member)).toEqual([
      { kind: 'unused-link-links', count: 2 },
      { kind: 'link-requests', count: 1 },
    ]);
    expect(await repo().consumeLinkToken('pending-1', now)).toBeUndefined();
    expect(await repo().consumeState('pending-state', now)).toBeUndefined();
    expect(await repo().admitLinkRequest(member, now, TEN_MINUTES, 1)).toEqual({ admitted: true });
    expect(await repo().consumeLinkToken('pending-other', now)).toMatchObject({ discordUserId: other });
  });
});
