import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { userJson, type EmulatorState } from './state.js';

/** The emulated application's client secret (Developer Portal → OAuth2); the emulator's main prints it. */
export const EMULATED_CLIENT_SECRET = 'emulated-discord-client-secret-0001';
/** Discord's access tokens last a week. */
const ACCESS_TOKEN_LIFETIME_S = 604_800;
const CODE_LIFETIME_MS = 10 * 60_000;
const KNOWN_SCOPES = new Set(['identify', 'email', 'guilds', 'role_connections.write', 'applications.commands']);
const METADATA_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

export interface RoleConnectionMetadata {
  type: number;
  key: string;
  name: string;
  description: string;
}
export interface RoleConnection {
  platform_name: string | null;
  platform_username: string | null;
  metadata: Record<string, string>;
}
interface Grant {
  userId: string;
  scope: string[];
}

/** What the OAuth2 and Linked Roles endpoints keep: codes, tokens, the app's metadata records, each user's connection. */
export interface OAuth2State {
  clientSecret: string;
  codes: Map<string, Grant & { redirectUri: string; expiresAt: number }>;
  accessTokens: Map<string, Grant & { expiresAt: number }>;
  refreshTokens: Map<string, Grant>;
  metadata: RoleConnectionMetadata[];
  roleConnections: Map<string, RoleConnection>;
  /** Every role-connection PUT Discord accepted, oldest first: what a test reads to count pushes. */
  roleConnectionPuts: Array<{ userId: string; at: number; body: RoleConnection }>;
}

export function createOAuth2State(clientSecret = EMULATED_CLIENT_SECRET): OAuth2State {
  return {
    clientSecret,
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    metadata: [],
    roleConnections: new Map(),
    roleConnectionPuts: [],
  };
}

const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The emulator's redirect rule: a registered redirect would be an http(s) URL; loopback http stands for it here. */
const redirectAllowed = (uri: string) =>
  URL.canParse(uri) && ['https:', 'http:'].includes(new URL(uri).protocol) && !new URL(uri).hash;

/** Discord's 50035 "Invalid Form Body" with the field errors it lists. */
const invalidForm = (res: Response, problems: string[]) =>
  res.status(400).json({ code: 50035, message: `Invalid Form Body: ${problems.join('; ')}`, errors: problems });

/** Discord's checks on PUT /applications/{id}/role-connections/metadata. */
export function metadataProblems(list: unknown): string[] {
  if (!Array.isArray(list)) return ['Must be a list.'];
  const problems: string[] = [];
  if (list.length > 5) problems.push('Must be 5 or fewer in length.');
  const keys = new Set<string>();
  list.forEach((raw, i) => {
    const m = (raw ?? {}) as Record<string, unknown>;
    if (typeof m.key !== 'string' || !/^[a-z0-9_]{1,50}$/.test(m.key))
      problems.push(`${i}.key: Must be 1-50 characters of a-z, 0-9 or _.`);
    else if (keys.has(m.key)) problems.push(`${i}.key: Duplicate key.`);
    else keys.add(m.key);
    if (typeof m.name !== 'string' || m.name.length < 1 || m.name.length > 100)
      problems.push(`${i}.name: Must be between 1 and 100 in length.`);
    if (typeof m.description !== 'string' || m.description.length < 1 || m.description.length > 200)
      problems.push(`${i}.description: Must be between 1 and 200 in length.`);
    if (!METADATA_TYPES.has(m.type as number))
      problems.push(`${i}.type: Value must be one of (1, 2, 3, 4, 5, 6, 7, 8).`);
  });
  return problems;
}

/** Discord's checks on a role connection against the application's registered metadata. */
export function roleConnectionProblems(body: Record<string, unknown>, registered: RoleConnectionMetadata[]): string[] {
  const problems: string[] = [];
  if (body.platform_name != null && (typeof body.platform_name !== 'string' || body.platform_name.length > 50))
    problems.push('platform_name: Must be 50 or fewer in length.');
  if (
    body.platform_username != null &&
    (typeof body.platform_username !== 'string' || body.platform_username.length > 100)
  )
    problems.push('platform_username: Must be 100 or fewer in length.');
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return [...problems, 'metadata: Must be an object.'];
  for (const [key, raw] of Object.entries(metadata)) {
    const record = registered.find((m) => m.key === key);
    if (!record) {
      problems.push(`metadata.${key}: Unknown metadata key.`);
      continue;
    }
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (typeof value !== 'string' || value.length > 100) {
      problems.push(`metadata.${key}: Must be a string of 100 or fewer characters.`);
      continue;
    }
    if (record.type <= 4 && !/^-?\d+$/.test(value)) problems.push(`metadata.${key}: Must be an integer.`);
    if ((record.type === 5 || record.type === 6) && Number.isNaN(Date.parse(value)))
      problems.push(`metadata.${key}: Must be an ISO8601 date.`);
    if (record.type >= 7 && value !== '0' && value !== '1') problems.push(`metadata.${key}: Must be 0 or 1.`);
  }
  return problems;
}

function consentPage(state: EmulatorState, q: Record<string, string>): string {
  const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state']
    .filter((k) => q[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k]!)}">`)
    .join('');
  const users = [...state.users.values()]
    .filter((u) => !u.bot)
    .map((u) => `<option value="${u.id}">${escapeHtml(u.username)}</option>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Discord – Authorize access</title></head><body><main>
<h1>Encore wants to access your account</h1><p>This will allow the developer of Encore to: ${escapeHtml(q.scope ?? '')}</p>
<form method="post" action="/oauth2/authorize">${hidden}<label for="user_id">Logged in as</label><select id="user_id" name="user_id">${users}</select>
<button name="decision" value="authorize" type="submit">Authorize</button><button name="decision" value="cancel" type="submit">Cancel</button></form></main></body></html>`;
}

/** GET and POST /oauth2/authorize: Discord's web consent page (outside the versioned API). */
export function oauth2PageRouter(state: EmulatorState, oauth: OAuth2State): Router {
  const router = express.Router();
  const problem = (q: Record<string, string | undefined>) => {
    if (q.client_id !== state.applicationId) return 'Invalid client_id';
    if (!q.redirect_uri || !redirectAllowed(q.redirect_uri)) return 'Invalid OAuth2 redirect_uri';
    if (q.response_type !== 'code') return 'Invalid response_type';
    const scopes = (q.scope ?? '').split(' ').filter(Boolean);
    if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s))) return 'Invalid scope';
    return undefined;
  };
  router.get('/oauth2/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    const refused = problem(q);
    if (refused) return res.status(400).type('text/plain').send(refused);
    res.type('html').send(consentPage(state, q));
  });
  router.post('/oauth2/authorize', express.urlencoded({ extended: false }), (req, res) => {
    const b = req.body as Record<string, string>;
    const refused = problem(b);
    if (refused) return res.status(400).type('text/plain').send(refused);
    const target = new URL(b.redirect_uri!);
    if (b.decision !== 'authorize' || !state.users.has(b.user_id ?? '')) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
    } else {
      const code = secret('');
      oauth.codes.set(code, {
        userId: b.user_id!,
        scope: b.scope!.split(' '),
        redirectUri: b.redirect_uri!,
        expiresAt: state.now() + CODE_LIFETIME_MS,
      });
      target.searchParams.set('code', code);
    }
    if (b.state) target.searchParams.set('state', b.state);
    res.redirect(302, target.toString());
  });
  return router;
}

/**
 * The API side, mounted before the bot-token REST router: the token endpoint, and the calls made
 * with a member's bearer token (GET /users/@me, the role connection). Anything else goes on.
 */
export function oauth2ApiRouter(state: EmulatorState, oauth: OAuth2State): Router {
  const router = express.Router();

  const tokenJson = (grant: Grant) => {
    const access = secret('');
    const refresh = secret('');
    oauth.accessTokens.set(access, { ...grant, expiresAt: state.now() + ACCESS_TOKEN_LIFETIME_S * 1000 });
    oauth.refreshTokens.set(refresh, grant);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_S,
      refresh_token: refresh,
      scope: grant.scope.join(' '),
    };
  };

  router.post('/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    const b = req.body as Record<string, string>;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    if ((basicId ?? b.client_id) !== state.applicationId || (basicSecret ?? b.client_secret) !== oauth.clientSecret)
      return res.status(401).json({ error: 'invalid_client' });
    if (b.grant_type === 'authorization_code') {
      const code = oauth.codes.get(b.code ?? '');
      oauth.codes.delete(b.code ?? '');
      if (!code || code.expiresAt <= state.now() || code.redirectUri !== b.redirect_uri)
        return res.status(400).json({ error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
      return res.json(tokenJson({ userId: code.userId, scope: code.scope }));
    }
    if (b.grant_type === 'refresh_token') {
      const grant = oauth.refreshTokens.get(b.refresh_token ?? '');
      if (!grant) return res.status(400).json({ error: 'invalid_grant' });
      // A refresh token works once: Discord hands a new one with each access token.
      oauth.refreshTokens.delete(b.refresh_token!);
      return res.json(tokenJson(grant));
    }
    return res.status(400).json({ error: 'unsupported_grant_type' });
  });

  /** The grant behind a bearer token, or undefined to let the bot-token router answer. */
  const bearer = (req: Request) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : { token, grant: oauth.accessTokens.get(token) };
  };
  const withScope = (
    scope: string,
    handle: (req: Request, res: Response, grant: Grant) => unknown,
  ): express.RequestHandler => {
    return (req, res, next) => {
      const auth = bearer(req);
      if (!auth) return next();
      if (!auth.grant || auth.grant.expiresAt <= state.now())
        return res.status(401).json({ code: 0, message: '401: Unauthorized' });
      if (!auth.grant.scope.includes(scope)) return res.status(403).json({ code: 50001, message: 'Missing Access' });
      if (state.rateLimit.count > 0) {
        state.rateLimit.count--;
        res.setHeader('retry-after', String(Math.ceil(state.rateLimit.retryAfterSec)));
        return res
          .status(429)
          .json({ message: 'You are being rate limited.', retry_after: state.rateLimit.retryAfterSec, global: false });
      }
      return handle(req, res, auth.grant);
    };
  };

  router.get(
    '/users/@me',
    withScope('identify', (_req, res, grant) => res.json(userJson(state.users.get(grant.userId)!))),
  );
  const ownApp = (req: Request, res: Response) => {
    if (req.params.app === state.applicationId) return true;
    res.status(404).json({ code: 10002, message: 'Unknown Application' });
    return false;
  };
  const empty: RoleConnection = { platform_name: null, platform_username: null, metadata: {} };
  router.get(
    '/users/@me/applications/:app/role-connection',
    withScope('role_connections.write', (req, res, grant) => {
      if (ownApp(req, res)) res.json(oauth.roleConnections.get(grant.userId) ?? empty);
    }),
  );
  router.put(
    '/users/@me/applications/:app/role-connection',
    express.json(),
    withScope('role_connections.write', (req, res, grant) => {
      if (!ownApp(req, res)) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const problems = roleConnectionProblems(body, oauth.metadata);
      if (problems.length) return invalidForm(res, problems);
      const metadata = Object.fromEntries(
        Object.entries((body.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
      const connection: RoleConnection = {
        platform_name: (body.platform_name as string | undefined) ?? null,
        platform_username: (body.platform_username as string | undefined) ?? null,
        metadata,
      };
      oauth.roleConnections.set(grant.userId, connection);
      oauth.roleConnectionPuts.push({ userId: grant.userId, at: state.now(), body: connection });
      res.json(connection);
    }),
  );

  const botOnly = (req: Request, res: Response) => {
    if (req.headers.authorization === `Bot ${state.token}`) return true;
    res.status(401).json({ code: 0, message: '401: Unauthorized' });
    return false;
  };
  router.put('/applications/:app/role-connections/metadata', express.json(), (req, res) => {
    if (!botOnly(req, res) || !ownApp(req, res)) return;
    const problems = metadataProblems(req.body);
    if (problems.length) return invalidForm(res, problems);
    oauth.metadata = (req.body as RoleConnectionMetadata[]).map(({ type, key, name, description }) => ({
      type,
      key,
      name,
      description,
    }));
    res.json(oauth.metadata);
  });
  router.get('/applications/:app/role-connections/metadata', (req, res) => {
    if (botOnly(req, res) && ownApp(req, res)) res.json(oauth.metadata);
  });
  return router;
}
