import express, { type Router } from 'express';
import { finishLastfmConnect, type LastfmCallbackResult } from '../../app/sources/connect.js';
import type { ConnectDeps } from '../../app/sources/ports.js';
import type { Logger } from '../../log.js';
import { lastfmCallbackPage } from './pages.js';

/**
 * GET /lastfm/callback?state=…&token=…: where Last.fm sends the member's browser after they allow
 * Encore. HEAD (link scanners, prefetchers) must not spend the single-use state: it answers empty.
 * Nothing sensitive reaches a log: the request logger writes the path only, and this handler logs
 * the outcome, never the state or the token.
 */
export function sourcesRouter(
  deps: ConnectDeps & {
    log: Logger;
    onLinked(result: Extract<LastfmCallbackResult, { kind: 'linked' }>): Promise<void>;
  },
): Router {
  const router = express.Router();
  router.head('/lastfm/callback', (_req, res) => {
    res.status(200).type('html').end();
  });
  router.get('/lastfm/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = await finishLastfmConnect(deps, { state: str(q.state), token: str(q.token) });
    deps.log.info({ outcome: result.kind }, 'last.fm callback');
    if (result.kind === 'linked')
      await deps
        .onLinked(result)
        .catch((error: unknown) => deps.log.warn({ err: error }, 'could not DM the member after connecting Last.fm'));
    const { status, html } = lastfmCallbackPage(result);
    res.status(status).type('html').send(html);
  });
  return router;
}
