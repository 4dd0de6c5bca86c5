import type { AccountsRepository, LinkRecord, OAuthStateRecord } from '../../app/accounts/ports.js';
import type { TokenSet } from '../../core/tokens.js';
import type { Store } from '../index.js';
import type { Sealed, TokenCipher } from './tokenCipher.js';

const TEN_MINUTES = 10 * 60_000;

/** Links, encrypted tokens, one-time link tokens and OAuth state, in keyv namespaces. */
export function createAccountsRepository(store: Store, cipher: TokenCipher): AccountsRepository {
  const links = store.namespace<LinkRecord>('links');
  const byAccount = store.namespace<string>('links-by-account');
  const tokens = store.namespace<Sealed>('tokens');
  const linkTokens = store.namespace<{ discordUserId: string; guildId?: string }>('link-tokens');
  const states = store.namespace<OAuthStateRecord>('oauth-states');
  const linkRequests = store.namespace<number[]>('link-requests');
  return {
    getLink: (id) => links.get(id),
    async saveLink(link) {
      await links.set(link.discordUserId, link);
      await byAccount.set(link.spotifyAccountId, link.discordUserId);
    },
    discordUserForAccount: (accountId) => byAccount.get(accountId),
    async countLinks() {
      let n = 0;
      for await (const [, link] of links.iterator!(undefined)) if ((link as LinkRecord | undefined)?.status === 'active') n++;
      return n;
    },
    async listLinks() {
      const out: LinkRecord[] = [];
      for await (const [, link] of links.iterator!(undefined)) if (link) out.push(link as LinkRecord);
      return out;
    },
    async loadTokens(id) {
      const sealed = await tokens.get(id);
      return sealed ? (JSON.parse(cipher.open(sealed)) as TokenSet) : undefined;
    },
    async saveTokens(id, set) {
      await tokens.set(id, cipher.seal(JSON.stringify(set)));
    },
    async issueLinkToken(token, discordUserId, guildId) {
      await linkTokens.set(token, { discordUserId, guildId }, TEN_MINUTES);
    },
    async consumeLinkToken(token) {
      const record = await linkTokens.get(token);
      // The claim makes "use once" hold even when two browsers open the link at the same moment.
      if (!record || !(await store.claims.claim('link-token', token, record.discordUserId))) return undefined;
      await linkTokens.delete(token);
      return record;
    },
    async saveState(state, record) {
      await states.set(state, record, TEN_MINUTES);
    },
    async consumeState(state) {
      const record = await states.get(state);
      if (!record || !(await store.claims.claim('oauth-state', state, record.discordUserId))) return undefined;
      await states.delete(state);
      return record;
    },
    async recentLinkRequests(discordUserId, now, windowMs) {
      const kept = ((await linkRequests.get(discordUserId)) ?? []).filter((t) => t > now - windowMs);
      await linkRequests.set(discordUserId, [...kept, now], windowMs);
      return kept.length;
    },
    async deleteUser(discordUserId) {
      const deleted: string[] = [];
      const link = await links.get(discordUserId);
      if (link) {
        await byAccount.delete(link.spotifyAccountId);
        await links.delete(discordUserId);
        deleted.push('your Spotify link');
      }
      if (await tokens.delete(discordUserId)) deleted.push('your Spotify access tokens');
      await linkRequests.delete(discordUserId);
      return deleted;
    },
  };
}
