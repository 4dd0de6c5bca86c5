import { createHash, randomBytes } from 'node:crypto';
import { RelinkNeededError, SpotifyUnavailableError } from '../core/errors.js';
import { SpotifyApiError } from './errors.js';
import type { TokenSet } from './types.js';

/** What GET /me/player/currently-playing needs (Spotify also accepts user-read-playback-state). */
export const NOW_PLAYING_SCOPE = 'user-read-currently-playing';

export const SCOPES = [
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-private',
  'playlist-modify-public',
  'user-top-read',
  'user-read-recently-played',
  'user-library-read',
  'user-follow-read',
  // /np (issue 25): a member linked before it was asked for is sent through consent again once.
  NOW_PLAYING_SCOPE,
];

/** A PKCE verifier (43–128 chars) and its S256 challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface OAuthClient {
  authorizationUrl(options: { state: string; codeChallenge: string; redirectUri: string; scopes?: string[] }): string;
  exchangeCode(options: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  /** A refreshed token set; keeps the old refresh token when Spotify sends none. */
  refresh(current: TokenSet): Promise<TokenSet>;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
}

/**
 * How long a token request may take, answer included. A person is waiting on it (the callback
 * page, or a command whose access token needed refreshing), and Spotify's token endpoint answers
 * in well under a second when it works: after this, the member is better told to try again.
 */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** Authorization code flow with PKCE against Spotify's accounts service. */
export function createOAuthClient(options: {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
}): OAuthClient {
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
  const timeoutMs = options.timeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS;
  const tokenRequest = async (form: Record<string, string>): Promise<TokenResponse> => {
    let res: Response;
    let body: Partial<TokenResponse> & { error?: string };
    try {
      // The signal covers reading the body too: a server that sends headers and then stalls times out as well.
      res = await options.fetch(`${options.accountsUrl}/api/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = (await res.json().catch((error: unknown) => {
        if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw error;
        return {};
      })) as typeof body;
    } catch {
      throw new SpotifyUnavailableError();
    }
    // A dead refresh token or a bad code: never retried, the member has to link again.
    if (res.status === 400 && body.error === 'invalid_grant') throw new RelinkNeededError();
    if (res.status >= 500) throw new SpotifyUnavailableError(res.status);
    if (!res.ok || !body.access_token) throw new SpotifyApiError(res.status, { error: body.error }, 'POST /api/token');
    return body as TokenResponse;
  };
  return {
    authorizationUrl({ state, codeChallenge, redirectUri, scopes = SCOPES }) {
      const url = new URL(`${options.accountsUrl}/authorize`);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        state,
        code_challenge_method: 'S256',
        code_challenge: codeChallenge,
        scope: scopes.join(' '),
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code, codeVerifier, redirectUri }) {
      const t = await tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
        client_id: options.clientId,
      });
      if (!t.refresh_token) throw new SpotifyApiError(200, { error: 'no refresh_token' }, 'POST /api/token');
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: options.now() + t.expires_in * 1000,
        scope: t.scope ?? '',
      };
    },
    async refresh(current) {
      const t = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        client_id: options.clientId,
      });
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token ?? current.refreshToken,
        expiresAt: options.now() + t.expires_in * 1000,
        scope: t.scope ?? current.scope,
      };
    },
  };
}
