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
