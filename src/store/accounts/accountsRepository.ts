import type { AccountsRepository, LinkRecord, LinkTokenRecord, OAuthStateRecord } from '../../app/accounts/ports.js';
import type { TokenSet } from '../../core/tokens.js';
import type { Store } from '../index.js';
import { requestWindow } from './requestWindow.js';
import { singleUseRecords } from './singleUse.js';
import type { Sealed, TokenCipher } from './tokenCipher.js';
import { erased, type Erased } from '../../app/accounts/personalData.js';

/**
 * Links (by Discord user id, with an index by Spotify account id), tokens encrypted at rest,
 * one-time link tokens and OAuth states (single use, atomic), and /link request times.
 */
export function createAccountsRepository(store: Store, cipher: TokenCipher): AccountsRepository {
  const links = store.namespace<LinkRecord>('links');
  const byAccount = store.namespace<string>('links-by-account');
  const tokens = store.namespace<Sealed>('tokens');
  const linkTokens = singleUseRecords<LinkTokenRecord>(store, 'link-tokens');
  const states = singleUseRecords<OAuthStateRecord>(store, 'oauth-states');
  const linkRequests = store.namespace<number[]>('link-requests');
  const linkRequestWindow = requestWindow(store, 'link-requests');
  return {
    getLink: (id) => links.get(id),
    async saveLink(link) {
      const previous = await links.get(link.discordUserId);
      await links.set(link.discordUserId, link);
      await byAccount.set(link.spotifyAccountId, link.discordUserId);
      // Relinked with another Spotify account: the old one is free for whoever owns it.
      if (
        previous &&
        previous.spotifyAccountId !== link.spotifyAccountId &&
        (await byAccount.get(previous.spotifyAccountId)) === link.discordUserId
      ) {
        await byAccount.delete(previous.spotifyAccountId);
      }
    },
    discordUserForAccount: (accountId) => byAccount.get(accountId),
    async countLinks() {
      let n = 0;
      for await (const [, link] of links.iterator!(undefined))
        if ((link as LinkRecord | undefined)?.status === 'active') n++;
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
    issueLinkToken: (token, discordUserId, guildId, expiresAt, discordName) =>
      linkTokens.put(
        token,
        { discordUserId, ...(guildId ? { guildId } : {}), ...(discordName ? { discordName } : {}) },
        expiresAt,
      ),
    peekLinkToken: (token, now) => linkTokens.peek(token, now),
    consumeLinkToken: (token, now) => linkTokens.take(token, now),
    saveState: (state, record, expiresAt) => states.put(state, record, expiresAt),
    consumeState: (state, now) => states.take(state, now),
    admitLinkRequest: (discordUserId, now, windowMs, limit) =>
      linkRequestWindow.admit(discordUserId, now, windowMs, limit),
    async deleteUser(discordUserId) {
      const deleted: Erased[] = [];
      const link = await links.get(discordUserId);
      if (link) {
        if ((await byAccount.get(link.spotifyAccountId)) === discordUserId)
          await byAccount.delete(link.spotifyAccountId);
        await links.delete(discordUserId);
        deleted.push(...erased('spotify-link', 1));
      }
      deleted.push(...erased('spotify-tokens', await tokens.delete(discordUserId)));
      return deleted;
    },
    async deletePending(discordUserId) {
      // A link the member asked for before unlinking must not quietly link them again afterwards.
      const unused = (await linkTokens.deleteFor(discordUserId)) + (await states.deleteFor(discordUserId));
      const requests = await linkRequests.delete(discordUserId);
      return [...erased('unused-link-links', unused), ...erased('link-requests', requests)];
    },
  };
}
