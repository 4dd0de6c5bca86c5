/** Shared mutable state of one emulator: tokens, codes, counters, faults and the clock. */
export interface Fault {
  method?: string;
  /** Matches when the request path (after /v1) starts with this, or matches this regex. */
  path: string | RegExp;
  status?: number;
  retryAfterSec?: number;
  body?: unknown;
  latencyMs?: number;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** How many requests it applies to; unlimited when unset. */
  times?: number;
  /** Holds matching requests until this settles, then serves them normally: a test decides when they land. */
  gate?: Promise<unknown>;
  /**
   * The request is served at once (a write lands) and only its answer is affected: held until
   * `gate` settles (slower than the caller's timeout), and/or replaced by `status`, as when Spotify
   * applies a write and then fails on the way out. The caller cannot tell that it landed.
   */
  lands?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
  userId?: string;
}

export interface EmulatorControl {
  now: () => number;
  latencyMs: number;
  faults: Fault[];
  /** Development-mode daily quota for the app: requests beyond `limit` answer 429 QUOTA_EXCEEDED. */
  quota: { limit: number; used: number; retryAfterSec: number };
  /** The next `count` API requests answer 429 with a short Retry-After (the 30-second rate limit). */
  rateLimit: { count: number; retryAfterSec: number };
  /** 'always' | 'never' | 'alternate': whether refresh responses omit a new refresh_token. */
  omitRefreshToken: 'always' | 'never' | 'alternate';
  allowlist: Set<string>;
}

export interface CodeRecord {
  userId: string;
  clientId: string;
  redirectUri: string;
  challenge?: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}
export interface AccessRecord {
  userId: string;
  expiresAt: number;
  scope: string;
}
export interface RefreshRecord {
  userId: string;
  clientId: string;
  consentAt: number;
  scope: string;
}

export const HOUR = 3_600_000;
/** Spotify ends a refresh token six months after consent, whatever the app does. */
export const REFRESH_LIFETIME_MS = 182 * 24 * HOUR;
