import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { listen } from '../../src/http/server.js';
import { requestLinkUrl, startEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';
import { captureLogger } from '../support/logger.js';
import { linkUrl } from '../support/messages.js';

let h: EncoreHarness;
beforeAll(async () => {
  h = await startEncoreHarness();
}, 60_000);
afterAll(() => h?.close());

/** What every page that carries a one-time token must send. */
function expectLockedDown(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/default-src 'none'/);
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('cache-control'), what).toBe('no-store');
  return csp;
}

describe('pages that carry a token cannot be framed, cached or leak it in a Referer', () => {
  it('the link page, its Continue, the callback pages, the upload page, its POST and the error pages', async () => {
    const member = h.member('headers-member');
    const linkPage = await requestLinkUrl(h, member);
    const opened = await fetch(linkPage);
    expect(opened.status).toBe(200);
    const linkCsp = expectLockedDown(opened, 'GET /link/:token');
    expect(linkCsp).not.toMatch(/script-src/); // the link page runs no script
    expect(linkCsp).not.toMatch(/form-action/); // Continue ends in a redirect to Spotify

    const continued = await fetch(linkPage, { method: 'POST', redirect: 'manual' });
    expect(continued.status).toBe(303);
    expectLockedDown(continued, 'POST /link/:token');
    const spent = await fetch(linkPage);
    expect(spent.status).toBe(410);
    expectLockedDown(spent, 'GET /link/:token (spent)');
    const badState = await fetch(`${h.config.PUBLIC_URL}/callback?state=${'s'.repeat(32)}&code=abc`);
    expect(badState.status).toBe(400);
    expectLockedDown(badState, 'GET /callback');

    const continuedAgain = await followLinkPage(await requestLinkUrl(h, member));
    const callback = await fetch(
      await h.spotify.consent({ authorizeUrl: continuedAgain.authorizeUrl!, userId: 'alice' }),
    );
    expect(callback.status).toBe(200);
    expectLockedDown(callback, 'GET /callback (linked)');

    await h.invoke('/import', {}, member);
    const upload = linkUrl(h.dmsOf(member).at(-1)!);
    const uploadPage = await fetch(upload);
    expect(uploadPage.status).toBe(200);
    const uploadCsp = expectLockedDown(uploadPage, 'GET /import/:token');
    // Its one script and its one style, by hash; its POST goes to its own address.
    expect(uploadCsp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]{44}'(;|$)/);
    expect(uploadCsp).toMatch(/connect-src 'self'/);
    const refused = await fetch(`${h.config.PUBLIC_URL}/import/${'u'.repeat(32)}`, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(410);
    expectLockedDown(refused, 'POST /import/:token');

    for (const path of ['/nothing-here', '/link/%E0%A4%A']) {
      const res = await fetch(`${h.config.PUBLIC_URL}${path}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectLockedDown(res, path);
    }
  });

  it('the upload page names the Discord account the history goes into, as the link page does', async () => {
    const member = h.member('named-importer');
    expect((await h.link(member, 'bob')).status).toBe(200);
    await h.invoke('/import', {}, member);
    const html = await (await fetch(linkUrl(h.dmsOf(member).at(-1)!))).text();
    expect(html).toContain('Your history goes to Discord user @named-importer. Not you? Close this page');
  });
});

describe('/healthz is public', () => {
  it('says "database unavailable" and keeps the database’s own words for the log', async () => {
    const log = captureLogger('debug');
    const detail = 'connect ECONNREFUSED 10.1.2.3:5432 (password authentication failed for user "encore_admin")';
    const app = createHttpApp({
      log: log.log,
      store: { health: async () => ({ ok: false, kind: 'postgres', error: detail }) },
    });
    const running = await listen(app, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({
        ok: false,
        store: { ok: false, kind: 'postgres', error: 'database unavailable' },
      });
      for (const leak of ['10.1.2.3', 'encore_admin', 'ECONNREFUSED']) expect(body).not.toContain(leak);
      expect(log.text()).toContain('10.1.2.3:5432');
    } finally {
      await running.close(0);
    }
  });
});
