import { NotLinkedError, RelinkNeededError } from '../../core/errors.js';
import type { TokenSet } from '../../core/tokens.js';
import type { LinkingDeps } from '../../app/accounts/linking.js';
import { REFRESH_LIFETIME_MS } from '../../app/accounts/linking.js';
import { createPkce, type SpotifyGateway, type UserTokens } from '../../spotify/index.js';
import { createAccountsRepository } from '../../store/accounts/accountsRepository.js';
import { createTokenCipher } from '../../store/accounts/tokenCipher.js';
import type { Store } from '../../store/index.js';
import type { Accounts } from '../feature.js';

export type { Accounts } from '../feature.js';

/** Linking wired to the encrypted store and the Spotify gateway. */
export function createAccounts(options: {
  store: Store;
  gateway: SpotifyGateway;
  encryptionKeys: string[];
  publicUrl: string;
  userCap: number;
  /** Told when Spotify ended a member's link (the link is already marked dead; history is kept). */
  onLinkDied?(discordUserId: string): Promise<void>;
}): Accounts {
  const repo = createAccountsRepository(options.store, createTokenCipher(options.encryptionKeys));
  const fixed = (tokens: TokenSet): UserTokens => ({ load: async () => tokens, save: async () => {} });
  const tokensOf = (discordUserId: string): UserTokens => ({
    async load() {
      const tokens = await repo.loadTokens(discordUserId);
      if (!tokens) throw new NotLinkedError();
      return tokens;
    },
    save: (next) => repo.saveTokens(discordUserId, next),
    async onRelinkNeeded() {
      const link = await repo.getLink(discordUserId);
      if (!link || link.status === 'dead') return;
      await repo.saveLink({ ...link, status: 'dead' });
      await options.onLinkDied?.(discordUserId);
    },
  });
  const linking: LinkingDeps = {
    repo,
    publicUrl: options.publicUrl,
    userCap: options.userCap,
    spotify: {
      createPkce,
      authorizationUrl: (o) => options.gateway.oauth.authorizationUrl(o),
      exchangeCode: (o) => options.gateway.oauth.exchangeCode(o),
      async profile(tokens) {
        const me = await options.gateway.forUser(fixed(tokens)).me();
        return { accountId: me.account_id ?? me.id, displayName: me.display_name ?? me.id };
      },
    },
  };
  return {
    repo,
    linking,
    async spotifyFor(discordUserId, priority = 'interactive') {
      const link = await repo.getLink(discordUserId);
      // What needs Spotify says so, and whether a place is free to link it (development mode's cap).
      if (!link)
        throw new NotLinkedError({ spotifyPlacesLeft: Math.max(0, options.userCap - (await repo.countLinks())) });
      if (link.status !== 'active') throw new RelinkNeededError(discordUserId);
      return options.gateway.forUser(tokensOf(discordUserId), { priority });
    },
    async profile(discordUserId) {
      const link = await repo.getLink(discordUserId);
      return link && { ...link, renewBy: link.consentAt + REFRESH_LIFETIME_MS };
    },
  };
}
