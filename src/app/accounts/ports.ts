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
  issueLinkToken(token: string, discordUserId: string, guildId: string | undefined, expiresAt: number): Promise<void>;
  /** Who a link token was for, once: undefined when unknown, expired at `now` or already used (atomic). */
  consumeLinkToken(token: string, now: number): Promise<{ discordUserId: string; guildId?: string } | undefined>;
  saveState(state: string, record: OAuthStateRecord, expiresAt: number): Promise<void>;
  /** The state's record, once: undefined when unknown, expired at `now` or already used (atomic). */
  consumeState(state: string, now: number): Promise<OAuthStateRecord | undefined>;
  /** How many links the member asked for within the window (and records this one). */
  recentLinkRequests(discordUserId: string, now: number, windowMs: number): Promise<number>;
  /** Deletes the member's link, its account index and tokens; says what was deleted. */
  deleteUser(discordUserId: string): Promise<string[]>;
  /** Deletes the member's unused link tokens, OAuth states and /link request times. */
  deletePending(discordUserId: string): Promise<string[]>;
}

/** What linking needs from Spotify. */
export interface SpotifyAuth {
  createPkce(): { verifier: string; challenge: string };
  authorizationUrl(options: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchangeCode(options: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  profile(tokens: TokenSet): Promise<{ accountId: string; displayName: string }>;
}
