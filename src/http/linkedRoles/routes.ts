import express, { type Router } from 'express';
import {
  beginRoleConnect,
  completeRoleConnect,
  CONNECT_STATE_TTL_MS,
  type LinkedRolesDeps,
  type RoleConnectResult,
} from '../../app/linkedRoles/linkedRoles.js';
import type { Logger } from '../../log.js';
import { page } from '../linking/pages.js';

const COOKIE = 'encore_linked_roles';

const readCookie = (header: string | undefined, name: string) =>
  header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1];

function resultPage(result: RoleConnectResult): { status: number; html: string } {
  switch (result.kind) {
    case 'connected':
      return {
        status: 200,
        html: page(
          'Encore is connected',
          `Discord now knows your Encore figures: ${result.values.hours_this_month} hours this month, ${result.values.crowns} crowns. Encore updates them as you listen. You can close this page and go back to Discord.`,
          'ok',
        ),
      };
    case 'denied':
      return {
        status: 200,
        html: page(
          'Nothing was connected',
          'You did not authorize Encore, so Discord holds nothing from it.',
          'problem',
        ),
      };
    case 'missing-scope':
      return {
        status: 400,
        html: page(
          'Encore needs both permissions',
          'Linked Roles needs “Update your connection and metadata” and your Discord identity. Start again from the role in Discord.',
          'problem',
        ),
      };
    case 'invalid-state':
      return {
        status: 400,
        html: page(
          'This page has expired',
          'Connections last ten minutes and finish in the browser that started them. Start again from the role in Discord.',
          'problem',
        ),
      };
    case 'failed':
      return {
        status: 502,
        html: page(
          'Discord did not answer',
          'Encore could not reach Discord just now. Try again in a minute.',
          'problem',
        ),
      };
  }
}

/**
 * GET /linked-roles (the application's role_connections_verification_url) sends the browser to
 * Discord's authorize page with a single-use state, and the same state's nonce in a cookie that
 * only this browser sends back; GET /linked-roles/callback finishes and pushes the member's values.
 * Codes and states never reach a log (the request logger writes paths only).
 */
export function linkedRolesRouter(
  deps: LinkedRolesDeps & { log: Logger; now: () => number; secureCookie: boolean },
): Router {
  const router = express.Router();
  router.head('/linked-roles/callback', (_req, res) => {
    res.status(200).type('html').end();
  });
  router.get('/linked-roles', async (_req, res) => {
    const { url, browserNonce } = await beginRoleConnect(deps, deps.now());
    // Lax: the cookie comes back on Discord's top-level redirect to the callback, never on a cross-site subrequest.
    res.setHeader(
      'set-cookie',
      `${COOKIE}=${browserNonce}; Path=/linked-roles; Max-Age=${CONNECT_STATE_TTL_MS / 1000}; HttpOnly; SameSite=Lax${deps.secureCookie ? '; Secure' : ''}`,
    );
    res.redirect(302, url);
  });
  router.get('/linked-roles/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await completeRoleConnect(
      deps,
      {
        state: str(q.state),
        code: str(q.code),
        error: str(q.error),
        browserNonce: readCookie(req.headers.cookie, COOKIE),
      },
      deps.now(),
    );
    deps.log.info({ outcome: result.kind }, 'linked roles callback');
    res.setHeader('set-cookie', `${COOKIE}=; Path=/linked-roles; Max-Age=0; HttpOnly; SameSite=Lax`);
    const { status, html } = resultPage(result);
    res.status(status).type('html').send(html);
  });
  return router;
}
