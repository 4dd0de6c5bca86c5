import type { Erased } from './personalData.js';
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
  /** The member's Discord name when they linked: relink links name the account they are for. */
  discordName?: string;
}
/** Who a one-time link is for: the page behind it names the Discord account before anything happens. */
export interface LinkTokenRecord {
  discordUserId: string;
  guildId?: string;
  /** As Discord showed the member when they ran /link, e.g. "Alice (@alice)". */
  discordName?: string;
}
export interface OAuthStateRecord {
  discordUserId: string;
  verifier: string;
  /** The server /link was run in: the "linked" DM asks about visibility there. */
  guildId?: string;
  discordName?: string;
}

export interface AccountsRepository {
  getLink(discordUserId: string): Promise<LinkRecord | undefined>;
  saveLink(link: LinkRecord): Promise<void>;
  discordUserForAccount(spotifyAccountId: string): Promise<string | undefined>;
  countLinks(): Promise<number>;
  listLinks(): Promise<LinkRecord[]>;
  loadTokens(discordUserId: string): Promise<TokenSet | undefined>;
  saveTokens(discordUserId: string, tokens: TokenSet): Promise<void>;
  issueLinkToken(
    token: string,
    discordUserId: string,
    guildId: string | undefined,
    expiresAt: number,
    discordName?: string,
  ): Promise<void>;
  /** Who a link token is for, without spending it: undefined when unknown, expired at `now` or already used. */
  peekLinkToken(token: string, now: number): Promise<LinkTokenRecord | undefined>;
  /** Who a link token was for, once: undefined when unknown, expired at `now` or already used (atomic). */
  consumeLinkToken(token: string, now: number): Promise<LinkTokenRecord | undefined>;
  saveState(state: string, record: OAuthStateRecord, expiresAt: number): Promise<void>;
  /** The state's record, once: undefined when unknown, expired at `now` or already used (atomic). */
  consumeState(state: string, now: number): Promise<OAuthStateRecord | undefined>;
  /**
   * Records a /link request if the member made fewer than `limit` within the window, atomically:
   * requests arriving together are counted one after the other. A refused request is not recorded,
   * so `retryAt` (when the oldest counted request leaves the window) does not move.
   */
  admitLinkRequest(
    discordUserId: string,
    now: number,
    windowMs: number,
    limit: number,
  ): Promise<{ admitted: true } | { admitted: false; retryAt: number }>;
  /** Deletes the member's link, its account index and tokens; says what was deleted. */
  deleteUser(discordUserId: string): Promise<Erased[]>;
  /** Deletes the member's unused link tokens, OAuth states and /link request times. */
  deletePending(discordUserId: string): Promise<Erased[]>;
}

/** What linking needs from Spotify. */
export interface SpotifyAuth {
  createPkce(): { verifier: string; challenge: string };
  authorizationUrl(options: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchangeCode(options: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  profile(tokens: TokenSet): Promise<{ accountId: string; displayName: string }>;
}

/** A member's top lists on Spotify, as the chart use case reads them. */
export interface MemberTopItems {
  topArtists(
    range: 'short_term' | 'medium_term' | 'long_term',
    limit?: number,
  ): Promise<ReadonlyArray<{ id: string; name: string; genres: readonly string[] }>>;
  topTracks(
    range: 'short_term' | 'medium_term' | 'long_term',
    limit?: number,
  ): Promise<ReadonlyArray<{ name: string; artists: ReadonlyArray<{ name: string }> }>>;
}

/** What /link and the linking pages work with. */
export interface LinkingDeps {
  repo: AccountsRepository;
  spotify: SpotifyAuth;
  publicUrl: string;
  userCap: number;
  now?: () => number;
}

/** Linked accounts as commands see them (the linking feature provides it). */
export interface AccountsService {
  repo: AccountsRepository;
  linking: LinkingDeps;
  /** The member's Spotify, for reading; NotLinkedError / RelinkNeededError otherwise. */
  spotifyFor(discordUserId: string, priority?: 'interactive' | 'background'): Promise<MemberTopItems>;
  profile(discordUserId: string): Promise<(LinkRecord & { renewBy: number }) | undefined>;
}
