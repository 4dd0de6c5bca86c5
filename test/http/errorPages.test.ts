import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { captureLogger } from '../support/logger.js';

let running: RunningServer | undefined;
const savedEnv = process.env.NODE_ENV;
afterEach(async () => {
  await running?.close(0);
  running = undefined;
  process.env.NODE_ENV = savedEnv;
});

/** An app whose only router fails in the ways a handler can: a throw, a rejection, an error passed on. */
async function failingApp() {
  const log = captureLogger('debug');
  const router = express.Router();
  router.get('/throws', () => {
    throw new Error('boom at /srv/encore/secret/path.ts');
  });
  router.get('/rejects', async () => {
    await Promise.resolve();
    throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  });
  router.get('/forbidden', (_req, _res, next) => next(Object.assign(new Error('no'), { status: 403 })));
  const app = createHttpApp({ log: log.log, store: { health: async () => ({ ok: true }) }, routers: [router] });
  running = await listen(app, 0, '127.0.0.1');
  return { log, base: `http://127.0.0.1:${running.port}` };
}

describe('every error on every route renders Encore’s page, whatever NODE_ENV says', () => {
  it.each(['development', 'production', 'test'])('NODE_ENV=%s', async (env) => {
    process.env.NODE_ENV = env;
    const { log, base } = await failingApp();
    for (const [path, status] of [
      ['/throws', 500],
      ['/rejects', 500],
      ['/forbidden', 403],
    ] as const) {
      const res = await fetch(`${base}${path}`, { headers: { 'x-request-id': `req-${env}-${path.slice(1)}` } });
      const html = await res.text();
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html).toContain('Encore · Spotify in Discord');
      for (const leak of ['boom', '/srv/encore', 'invalid byte sequence', '    at ', '<pre>'])
        expect(html, `${path} shows ${leak}`).not.toContain(leak);
      const logged = log.lines().find((l) => l.reqId === `req-${env}-${path.slice(1)}` && l.err);
      expect(logged, `${path} cause logged with its request id`).toBeDefined();
    }
    // The member gets the request id as a reference the operator can find in the log.
    const res = await fetch(`${base}/throws`, { headers: { 'x-request-id': 'ref-123' } });
    expect(await res.text()).toContain('ref-123');
  });
});
