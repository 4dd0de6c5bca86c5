import { randomBytes } from 'node:crypto';
import type { LinkRecord } from '../../src/app/accounts/ports.js';
import type { TokenSet } from '../../src/core/tokens.js';

let n = 0;
/** A fresh base64 AES-256 key, as ENCRYPTION_KEY holds one. */
export const aKey = () => randomBytes(32).toString('base64');
/** A Discord user id no other test uses. */
export const aMemberId = () => `9${String(Date.now()).slice(-9)}${String(++n).padStart(6, '0')}`;
/** Tokens that look like Spotify's and are unique, so a test can search the database for them. */
export const someTokens = (overrides: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: `BQ${randomBytes(30).toString('base64url')}`,
  refreshToken: `AQ${randomBytes(40).toString('base64url')}`,
  expiresAt: Date.now() + 3_600_000,
  scope: 'user-top-read playlist-read-private',
  ...overrides,
});
export const aLink = (overrides: Partial<LinkRecord> = {}): LinkRecord => ({
  discordUserId: aMemberId(),
  spotifyAccountId: `sp-${randomBytes(4).toString('hex')}`,
  displayName: 'Someone',
  consentAt: Date.now(),
  status: 'active',
  ...overrides,
});
