import type { RoleFigures, RoleMetadataValues } from '../../core/linkedRoles.js';

/** A member's Discord OAuth2 grant for Linked Roles (scopes role_connections.write identify). expiresAt is epoch ms. */
export interface DiscordGrant {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scope: string;
}

/** One member's Linked Roles connection as stored: the grant (encrypted at rest) and what was last pushed. */
export interface RoleConnection {
  discordUserId: string;
  /** The Discord name shown beside the connection (platform_username). */
  username: string;
  grant: DiscordGrant;
  connectedAt: number;
  /** The values Discord holds now (undefined before the first push). */
  lastPushed?: RoleMetadataValues;
  pushedAt?: number;
}

/** A state handed to Discord's authorize page, bound to the browser that asked (a cookie holds the same nonce). */
export interface RoleConnectStateRecord {
  /** Unknown until Discord says who consented; singleUseRecords keys its member eraser on it. */
  discordUserId: '';
  browserNonce: string;
}

export interface RoleConnectionsRepository {
  get(discordUserId: string): Promise<RoleConnection | undefined>;
  save(connection: RoleConnection): Promise<void>;
  /** Records the values Discord now holds. */
  markPushed(discordUserId: string, values: RoleMetadataValues, at: number): Promise<void>;
  /** Every member with a connection, for the refresh job. */
  listMembers(): Promise<string[]>;
  delete(discordUserId: string): Promise<boolean>;
  saveState(state: string, record: RoleConnectStateRecord, expiresAt: number): Promise<void>;
  consumeState(state: string, now: number): Promise<RoleConnectStateRecord | undefined>;
}

/** Reads the figures Linked Roles shows, at `now`. */
export interface RoleFiguresReader {
  figuresOf(discordUserId: string, now: number): Promise<RoleFigures>;
}

/** Discord answered 429: wait `retryAfterMs` before asking again. */
export class DiscordRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Discord rate limited the request (retry after ${retryAfterMs} ms)`);
  }
}

/** The grant no longer works (revoked by the member, or the refresh token refused): only a new connection helps. */
export class DiscordGrantRevokedError extends Error {}

/** Discord's OAuth2 and role-connection endpoints, as Linked Roles uses them. */
export interface DiscordRoleConnectionsApi {
  authorizeUrl(state: string): string;
  exchangeCode(code: string, now: number): Promise<DiscordGrant>;
  refresh(grant: DiscordGrant, now: number): Promise<DiscordGrant>;
  currentUser(accessToken: string): Promise<{ id: string; username: string; globalName?: string }>;
  /**
   * PUT /users/@me/applications/{id}/role-connection. Resolves with how long to wait before the
   * next push when Discord's bucket is empty (x-ratelimit-remaining 0), else 0.
   */
  pushRoleConnection(
    accessToken: string,
    body: { platform_name: string; platform_username: string; metadata: RoleMetadataValues },
  ): Promise<{ waitMs: number }>;
}
