/** A Spotify answer the gateway has no better name for: the status, body and endpoint, for logs. */
export class SpotifyApiError extends Error {
  override readonly name = 'SpotifyApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly endpoint: string,
  ) {
    super(`Spotify answered ${status} on ${endpoint}`);
  }
}

/** 401 on an API call: the access token is stale; the user client refreshes once and retries. */
export class AccessTokenRejected extends Error {
  override readonly name = 'AccessTokenRejected';
}

/**
 * The member's token lacks a scope the endpoint needs: Spotify answers 401 "Permissions missing"
 * (403 "Insufficient client scope" before). Refreshing cannot help; only a new consent can.
 */
export class ScopeMissingError extends Error {
  override readonly name = 'ScopeMissingError';
  constructor(readonly endpoint: string) {
    super(`Spotify wants a scope Encore was not granted on ${endpoint}`);
  }
}
