import {
  DiscordGrantRevokedError,
  DiscordRateLimitedError,
  type DiscordGrant,
  type DiscordRoleConnectionsApi,
} from '../app/linkedRoles/ports.js';
import { REQUIRED_SCOPES } from '../app/linkedRoles/linkedRoles.js';

export interface RoleConnectionsApiOptions {
  /** DISCORD_API_URL (https://discord.com/api): the REST calls go to its /v10. */
  apiUrl: string;
  applicationId: string;
  clientSecret: string;
  /** Where Discord sends the browser back: PUBLIC_URL/linked-roles/callback, registered in the Developer Portal. */
  redirectUri: string;
}

/** Discord's 429: retry_after (seconds) in the body, else the Retry-After header. */
async function retryAfterMs(res: Response): Promise<number> {
  const body = (await res.json().catch(() => ({}))) as { retry_after?: number };
  const seconds = body.retry_after ?? Number(res.headers.get('retry-after') ?? 1);
  return Math.ceil(seconds * 1000);
}

/**
 * Discord's OAuth2 (authorization code grant, confidential client) and the role-connection endpoints,
 * over fetch: the member's bearer token is not discord.js's bot token, so its REST client can't carry it.
 */
export function createRoleConnectionsApi(options: RoleConnectionsApiOptions): DiscordRoleConnectionsApi {
  const api = `${options.apiUrl}/v10`;
  // The authorize page is Discord's web app (discord.com/oauth2/authorize), not the versioned API.
  const authorizeBase = `${new URL(options.apiUrl).origin}/oauth2/authorize`;
  const basic = `Basic ${Buffer.from(`${options.applicationId}:${options.clientSecret}`).toString('base64')}`;

  const token = async (form: Record<string, string>, now: number): Promise<DiscordGrant> => {
    const res = await fetch(`${api}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    if (res.status === 429) throw new DiscordRateLimitedError(await retryAfterMs(res));
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 400 && body.error === 'invalid_grant') throw new DiscordGrantRevokedError('invalid_grant');
    if (!res.ok || typeof body.access_token !== 'string')
      throw new Error(`Discord's token endpoint answered ${res.status} ${String(body.error ?? '')}`);
    return {
      accessToken: body.access_token,
      refreshToken: String(body.refresh_token),
      expiresAt: now + Number(body.expires_in) * 1000,
      scope: String(body.scope ?? ''),
    };
  };

  return {
    authorizeUrl(state) {
      const url = new URL(authorizeBase);
      url.search = new URLSearchParams({
        client_id: options.applicationId,
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: REQUIRED_SCOPES.join(' '),
        state,
        prompt: 'consent',
      }).toString();
      return url.toString();
    },
    exchangeCode: (code, now) =>
      token({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri }, now),
    refresh: (grant, now) => token({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }, now),
    async currentUser(accessToken) {
      const res = await fetch(`${api}/users/@me`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (res.status === 429) throw new DiscordRateLimitedError(await retryAfterMs(res));
      if (!res.ok) throw new Error(`Discord's /users/@me answered ${res.status}`);
      const user = (await res.json()) as { id: string; username: string; global_name?: string | null };
      return { id: user.id, username: user.username, ...(user.global_name ? { globalName: user.global_name } : {}) };
    },
    async pushRoleConnection(accessToken, body) {
      const res = await fetch(`${api}/users/@me/applications/${options.applicationId}/role-connection`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status === 429) throw new DiscordRateLimitedError(await retryAfterMs(res));
      // 401: the member revoked Encore in their Authorized Apps, or the token ended.
      if (res.status === 401) throw new DiscordGrantRevokedError('Discord refused the token');
      if (!res.ok) throw new Error(`Discord's role-connection endpoint answered ${res.status}: ${await res.text()}`);
      const remaining = res.headers.get('x-ratelimit-remaining');
      const resetAfter = Number(res.headers.get('x-ratelimit-reset-after') ?? 0);
      return { waitMs: remaining === '0' ? Math.ceil(resetAfter * 1000) : 0 };
    },
  };
}
