import express, { type Router } from 'express';
import { beginAuthorization, completeAuthorization, type CallbackResult, type LinkingDeps } from '../../app/accounts/linking.js';
import type { Logger } from '../../log.js';
import { callbackPage, page } from './pages.js';

/**
 * GET /link/:token and GET /callback. Nothing sensitive reaches a log: the request logger keeps
 * only the path, and these handlers log outcomes, never codes, states or tokens.
 */
export function linkingRouter(deps: LinkingDeps & { log: Logger; onLinked(result: Extract<CallbackResult, { kind: 'linked' }>): Promise<void> }): Router {
  const router = express.Router();
  router.get('/link/:token', async (req, res) => {
    const result = await beginAuthorization(deps, req.params.token);
    if (result.kind === 'redirect') return res.redirect(302, result.url);
    deps.log.info('link page opened with an unknown, expired or used token');
    res.status(410).type('html').send(page('This link has expired', 'Links from /link last ten minutes and work once. Run /link in Discord to get a fresh one.', 'problem'));
  });
  router.get('/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await completeAuthorization(deps, { state: str(q.state), code: str(q.code), error: str(q.error) });
    deps.log.info({ outcome: result.kind }, 'spotify callback');
    if (result.kind === 'linked') await deps.onLinked(result).catch((error: unknown) => deps.log.warn({ err: error }, 'could not DM the member after linking'));
    const { status, html } = callbackPage(result);
    res.status(status).type('html').send(html);
  });
  return router;
}
