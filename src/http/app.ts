import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { errorPage } from './linking/pages.js';
import { securityHeaders } from './securityHeaders.js';

export interface HealthSource {
  health(): Promise<{ ok: boolean; error?: string }>;
}

export interface HttpAppOptions {
  log: Logger;
  store: HealthSource;
  /** Extra checks shown on /healthz (the gateway, for one); they never turn the answer to 503. */
  info?: () => Record<string, unknown>;
  /** Routers mounted by capabilities (linking pages, metrics). */
  routers?: Router[];
}

/**
 * Paths whose last segment is a bearer secret (a one-time link works for whoever holds it): the
 * request log writes the route instead. The request is logged as it starts, before Express has
 * matched a route, so the route can't be read from the request and is worked out here.
 */
const SECRET_PATHS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/link\/.*/s, '/link/:token'],
  [/^\/import\/.*/s, '/import/:token'],
];
export const loggedPath = (url: string) => {
  const path = url.split('?')[0] ?? '';
  return SECRET_PATHS.find(([pattern]) => pattern.test(path))?.[1] ?? path;
};

/** The express app: request ids, structured request logs, /healthz, the capability routers, and Encore's error pages. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: options.log.child({ module: 'http' }),
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // OAuth carries codes and state in query strings and in the Location of redirects:
      // log the request path and the response status only, never URLs or headers.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, path: loggedPath(String(req.url)) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
    }),
  );
  app.use(securityHeaders);
  const healthLog = options.log.child({ module: 'http' });
  app.get('/healthz', async (_req, res) => {
    const { error, ...store } = await options.store.health();
    // The answer is public: the database's own words (host names, users, paths) go to the log only.
    if (!store.ok) healthLog.error({ cause: error }, 'health check: database unavailable');
    res.status(store.ok ? 200 : 503).json({
      ok: store.ok,
      store: store.ok ? store : { ...store, error: 'database unavailable' },
      ...(options.info?.() ?? {}),
    });
  });
  for (const router of options.routers ?? []) app.use(router);
  app.use((req, res) => {
    res
      .status(404)
      .type('html')
      .send(errorPage(404, String(req.id)));
  });
  app.use(renderErrors(options.log.child({ module: 'http' })));
  return app;
}

/**
 * The last handler: every error on every route (a handler that threw or rejected, a malformed
 * percent-escape Express refused to decode, a database that failed) becomes Encore's page, never
 * Express's default one, which shows the error and its stack outside production. The cause goes
 * to the log with the request id, which the page gives the member as a reference.
 */
function renderErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const declared = Number(
      (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode,
    );
    const status = declared >= 400 && declared < 500 ? declared : 500;
    log[status >= 500 ? 'error' : 'warn']({ err: error, reqId: req.id, status }, 'request failed');
    if (res.headersSent) return next(error); // Express can only end a response that has started
    res
      .status(status)
      .type('html')
      .send(errorPage(status, String(req.id)));
  };
}
