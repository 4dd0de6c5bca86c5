import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';

export interface HealthSource {
  health(): Promise<{ ok: boolean }>;
}

export interface HttpAppOptions {
  log: Logger;
  store: HealthSource;
  /** Extra checks shown on /healthz (the gateway, for one); they never turn the answer to 503. */
  info?: () => Record<string, unknown>;
  /** Routers mounted by capabilities (linking pages, metrics). */
  routers?: Router[];
}

/** The express app: request ids, structured request logs, /healthz, and the capability routers. */
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
        req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
    }),
  );
  app.get('/healthz', async (_req, res) => {
    const store = await options.store.health();
    res.status(store.ok ? 200 : 503).json({ ok: store.ok, store, ...(options.info?.() ?? {}) });
  });
  for (const router of options.routers ?? []) app.use(router);
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  return app;
}
