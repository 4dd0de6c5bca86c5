import type { TokenSet } from '../../core/tokens.js';

export interface LinkRecord {
  discordUserId: string;
  spotifyAccountId: string;
  displayName: string;
  /** When the member consented: Spotify ends the refresh token six months later. */
  consentAt: number;
  status: 'active' | 'dead';
  /** When the member was reminded to renew before the six-month end. */
  nudgedAt?: number;
}
export interface OAuthStateRecord {
  discordUserId: string;
  verifier: string;
  /** The server /link was run in: the "linked" DM asks about visibility there. */
  guildId?: string;
}

export interface AccountsRepository {
  getLink(discordUserId: string): Promise<LinkRecord | undefined>;
  saveLink(link: LinkRecord): Promise<void>;
  discordUserForAccount(spotifyAccountId: string): Promise<string | undefined>;
  countLinks(): Promise<number>;
  listLinks(): Promise<LinkRecord[]>;
  loadTokens(discordUserId: string): Promise<TokenSet | undefined>;
  saveTokens(discordUserId: string, tokens: TokenSet): Promise<void>;
  issueLinkToken(token: string, discordUserId: string, guildId?: string): Promise<void>;
  /** Who a link token was for, once; undefined when unknown, expired or already used. */
  consumeLinkToken(token: string): Promise<{ discordUserId: string; guildId?: string } | undefined>;
  saveState(state: string, record: OAuthStateRecord): Promise<void>;
  consumeState(state: string): Promise<OAuthStateRecord | undefined>;
  /** How many links the member asked for within the window (and records this one). */
  recentLinkRequests(discordUserId: string, now: number, windowMs: number): Promise<number>;
  /** Deletes everything stored about the member; says what was deleted. */
  deleteUser(discordUserId: string): Promise<string[]>;
}

/** What linking needs from Spotify. */
export interface SpotifyAuth {
  createPkce(): { verifier: string; challenge: string };
  authorizationUrl(options: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchangeCode(options: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  profile(tokens: TokenSet): Promise<{ accountId: string; displayName: string }>;
}
