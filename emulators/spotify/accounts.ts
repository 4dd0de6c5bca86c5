import { createHash, randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { World } from './seed.js';
import {
  HOUR,
  REFRESH_LIFETIME_MS,
  type AccessRecord,
  type CodeRecord,
  type EmulatorControl,
  type RefreshRecord,
} from './state.js';

export interface AccountsState {
  codes: Map<string, CodeRecord>;
  access: Map<string, AccessRecord>;
  refresh: Map<string, RefreshRecord>;
  refreshCount: number;
}

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Spotify accepts https redirect URIs, or http only on loopback IP literals. */
export function redirectAllowed(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]'))
    );
  } catch {
    return false;
  }
}

export function issueTokens(
  state: AccountsState,
  control: EmulatorControl,
  userId: string,
  clientId: string,
  scope: string,
  consentAt = control.now(),
) {
  const accessToken = token('at_');
  const refreshToken = token('rt_');
  state.access.set(accessToken, { userId, expiresAt: control.now() + HOUR, scope });
  state.refresh.set(refreshToken, { userId, clientId, consentAt, scope });
  return { accessToken, refreshToken, expiresAt: control.now() + HOUR, scope };
}

function consentPage(world: World, q: Record<string, string>): string {
  const users = [...world.users.values()]
    .map((u) => `<option value="${escape(u.id)}">${escape(u.displayName)} (${escape(u.id)})</option>`)
    .join('');
  const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope']
    .map((k) => `<input type="hidden" name="${k}" value="${escape(q[k] ?? '')}">`)
    .join('');
  const scopes = (q.scope ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li>${escape(s)}</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spotify (emulator) – Authorize</title>
<style>body{font-family:sans-serif;background:#121212;color:#fff;display:flex;justify-content:center;padding:48px}main{max-width:420px;background:#181818;padding:32px;border-radius:12px}
button{font-size:16px;padding:10px 28px;border-radius:24px;border:0;margin-right:8px;cursor:pointer}.approve{background:#1ed760;color:#000}.deny{background:#333;color:#fff}select{font-size:15px;padding:6px;width:100%;margin:8px 0 16px}</style></head>
<body><main><h1>Spotify emulator</h1><p>An app wants to connect to your Spotify account and:</p><ul>${scopes}</ul>
<form method="post" action="/authorize/decision">${hidden}<label for="user">Log in as</label><select id="user" name="user">${users}</select><br>
<button class="approve" name="decision" value="approve" type="submit">Approve</button><button class="deny" name="decision" value="deny" type="submit">Deny</button></form></main></body></html>`;
}

export function accountsRouter(
  world: World,
  state: AccountsState,
  control: EmulatorControl,
  client?: { id: string; secret: string },
): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  router.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (!q.client_id || (client && q.client_id !== client.id))
      return res.status(400).type('text/plain').send('INVALID_CLIENT: Invalid client');
    if (!q.redirect_uri || !redirectAllowed(q.redirect_uri))
      return res.status(400).type('text/plain').send('INVALID_CLIENT: Invalid redirect URI');
    if (q.response_type !== 'code') return res.status(400).type('text/plain').send('unsupported_response_type');
    if (q.code_challenge && q.code_challenge_method !== 'S256')
      return res.status(400).type('text/plain').send('code_challenge_method must be S256');
    res.type('html').send(consentPage(world, q));
  });

  router.post('/authorize/decision', (req, res) => {
    const b = req.body as Record<string, string>;
    if (!b.redirect_uri || !redirectAllowed(b.redirect_uri))
      return res.status(400).type('text/plain').send('INVALID_CLIENT: Invalid redirect URI');
    const target = new URL(b.redirect_uri);
    if (b.decision !== 'approve' || !world.users.has(b.user ?? '')) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = token('code_');
      state.codes.set(code, {
        userId: b.user!,
        clientId: b.client_id ?? '',
        redirectUri: b.redirect_uri,
        challenge: b.code_challenge || undefined,
        scope: b.scope ?? '',
        expiresAt: control.now() + 10 * 60_000,
        used: false,
      });
      target.searchParams.set('code', code);
    }
    if (b.state) target.searchParams.set('state', b.state);
    res.redirect(302, target.toString());
  });

  router.post('/api/token', (req, res) => {
    const b = req.body as Record<string, string>;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    const clientId = basicId ?? b.client_id;
    const secret = basicSecret ?? b.client_secret;
    const fail = (status: number, error: string, description: string) =>
      res.status(status).json({ error, error_description: description });
    if (!clientId) return fail(400, 'invalid_client', 'Invalid client');
    if (client && (clientId !== client.id || (secret !== undefined && secret !== client.secret)))
      return fail(400, 'invalid_client', 'Invalid client secret');

    if (b.grant_type === 'authorization_code') {
      const code = state.codes.get(b.code ?? '');
      if (!code || code.used || code.expiresAt < control.now())
        return fail(400, 'invalid_grant', 'Invalid authorization code');
      if (code.redirectUri !== b.redirect_uri) return fail(400, 'invalid_grant', 'Invalid redirect URI');
      if (code.challenge) {
        const computed = createHash('sha256')
          .update(b.code_verifier ?? '')
          .digest('base64url');
        if (computed !== code.challenge) return fail(400, 'invalid_grant', 'code_verifier was incorrect');
      } else if (!secret) return fail(400, 'invalid_client', 'Invalid client');
      code.used = true;
      const t = issueTokens(state, control, code.userId, clientId, code.scope);
      return res.json({
        access_token: t.accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: t.refreshToken,
        scope: code.scope,
      });
    }
    if (b.grant_type === 'refresh_token') {
      const record = state.refresh.get(b.refresh_token ?? '');
      if (!record || record.clientId !== clientId) return fail(400, 'invalid_grant', 'Invalid refresh token');
      if (control.now() > record.consentAt + REFRESH_LIFETIME_MS) {
        state.refresh.delete(b.refresh_token!);
        return fail(400, 'invalid_grant', 'Refresh token revoked');
      }
      state.refreshCount++;
      const omit =
        control.omitRefreshToken === 'always' ||
        (control.omitRefreshToken === 'alternate' && state.refreshCount % 2 === 1);
      const t = issueTokens(state, control, record.userId, clientId, record.scope, record.consentAt);
      if (omit) state.refresh.delete(t.refreshToken);
      return res.json({
        access_token: t.accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: record.scope,
        ...(omit ? {} : { refresh_token: t.refreshToken }),
      });
    }
    return fail(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  });
  return router;
}
