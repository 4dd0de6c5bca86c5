import express, { type Router } from 'express';
import {
  beginAuthorization,
  completeAuthorization,
  previewLink,
  type CallbackResult,
  type LinkingDeps,
} from '../../app/accounts/linking.js';
import type { Logger } from '../../log.js';
import { callbackPage, expiredLinkPage, linkConfirmPage } from './pages.js';

/**
 * GET /link/:token shows whose Discord account will be linked; POST /link/:token (its Continue
 * button) spends the link and sends the browser to Spotify; GET /callback finishes. Only those two
 * change anything. HEAD — what link scanners and prefetchers send — runs the read-only GET of
 * /link/:token, but never the callback: Express would otherwise run the exchange for it.
 *
 * Nothing sensitive reaches a log: the request logger writes /link/:token for these paths, and
 * these handlers log outcomes, never codes, states or tokens.
 */
export function linkingRouter(
  deps: LinkingDeps & { log: Logger; onLinked(result: Extract<CallbackResult, { kind: 'linked' }>): Promise<void> },
): Router {
  const router = express.Router();
  router.head('/callback', (_req, res) => {
    res.status(200).type('html').end();
  });
  router.get('/link/:token', async (req, res) => {
    const preview = await previewLink(deps, req.params.token);
    if (preview.kind === 'invalid-link') deps.log.info('link page opened with an unknown, expired or used token');
    const { status, html } = linkConfirmPage(preview);
    res.status(status).type('html').send(html);
  });
  router.post('/link/:token', async (req, res) => {
    const result = await beginAuthorization(deps, req.params.token);
    // 303: the browser follows with a GET to Spotify, whatever method brought it here.
    if (result.kind === 'redirect') return res.redirect(303, result.url);
    deps.log.info('link continued with an unknown, expired or used token');
    const { status, html } = expiredLinkPage();
    res.status(status).type('html').send(html);
  });
  router.get('/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await completeAuthorization(deps, { state: str(q.state), code: str(q.code), error: str(q.error) });
    deps.log.info({ outcome: result.kind }, 'spotify callback');
    if (result.kind === 'linked')
      await deps
        .onLinked(result)
        .catch((error: unknown) => deps.log.warn({ err: error }, 'could not DM the member after linking'));
    const { status, html } = callbackPage(result);
    res.status(status).type('html').send(html);
  });
  return router;
}
