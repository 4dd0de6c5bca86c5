import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { startEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';

let h: EncoreHarness;
beforeAll(async () => {
  h = await startEncoreHarness();
}, 60_000);
afterAll(() => h?.close());

const linkUrlIn = (m: RecordedMessage) =>
  (m.components[0] as { components: Array<{ url: string }> }).components[0]!.url;
const linkedDms = (member: EUser) => h.dmsOf(member).filter((m) => JSON.stringify(m.embeds).includes('Linked as'));
const linkCount = async () =>
  (await h.encore.store.pool.query(`SELECT count(*)::int AS n FROM keyv WHERE key LIKE 'links:%'`)).rows[0].n as number;

async function dmLinkFor(member: EUser) {
  await h.invoke('/link', {}, member);
  return linkUrlIn(h.dmsOf(member).at(-1)!);
}

/** No Express default page, stack trace, Postgres message or file path reaches the browser. */
function expectEncorePage(html: string) {
  expect(html).toContain('Encore · Spotify in Discord');
  for (const leak of ['<pre>', '    at ', '/work/', 'node_modules', 'URIError', 'invalid byte sequence', 'Error:'])
    expect(html, `page shows ${leak}`).not.toContain(leak);
}

describe('a forwarded /link/<token> (the page names the Discord account before anything happens)', () => {
  it('opening the link names the member and spends nothing; only Continue goes to Spotify', async () => {
    const member = h.member('fwd-alice');
    const url = await dmLinkFor(member);
    for (let i = 0; i < 2; i++) {
      const opened = await fetch(url);
      expect(opened.status).toBe(200);
      const html = await opened.text();
      expect(html).toContain('You are linking Spotify to Discord user @fwd-alice');
      expect(html).toContain('Not you? Close this page');
      expectEncorePage(html);
    }
    const continued = await followLinkPage(url);
    expect(continued.status).toBe(303);
    expect(new URL(continued.authorizeUrl!).searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    // Continue spent the link: a second press, or opening it again, is refused.
    expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(410);
    expect((await fetch(url)).status).toBe(410);

    const callback = await h.spotify.consent({ authorizeUrl: continued.authorizeUrl!, userId: 'alice' });
    const done = await fetch(callback);
    const html = await done.text();
    expect(done.status).toBe(200);
    expect(html).toContain('Linked as Alice Liddell');
    expect(html).toContain('Discord user @fwd-alice');
  });

  it('someone who opens a forwarded link and closes the page leaves it working for its owner', async () => {
    const owner = h.member('fwd-owner');
    const url = await dmLinkFor(owner);
    expect(await (await fetch(url)).text()).toContain('Discord user @fwd-owner'); // the opener reads whose it is, and closes the tab
    expect(await linkCount()).toBe(1);
    const continued = await followLinkPage(url);
    const callback = await h.spotify.consent({ authorizeUrl: continued.authorizeUrl!, userId: 'bob' });
    expect((await fetch(callback)).status).toBe(200);
    expect(linkedDms(owner)).toHaveLength(1);
  });
});

describe('HEAD changes nothing (link scanners and prefetchers send HEAD)', () => {
  it('HEAD /link/<token> does not spend the link', async () => {
    const member = h.member('head-link');
    const url = await dmLinkFor(member);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const continued = await followLinkPage(url);
    expect(continued.status).toBe(303);
  });

  it('HEAD /callback neither exchanges the code nor spends the state', async () => {
    const member = h.member('head-callback');
    const continued = await followLinkPage(await dmLinkFor(member));
    const callback = await h.spotify.consent({ authorizeUrl: continued.authorizeUrl!, userId: 'carol' });
    const before = await linkCount();
    const head = await fetch(callback, { method: 'HEAD' });
    expect(head.status).toBeLessThan(500);
    expect(await linkCount()).toBe(before);
    expect(linkedDms(member)).toHaveLength(0);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Linked as');
    expect(linkedDms(member)).toHaveLength(1);
  });
});

describe('bad input renders Encore’s own page, never a stack, and changes nothing', () => {
  const cases: Array<[string, string, number, string]> = [
    [
      'a NUL byte in state',
      `/callback?code=abc&state=${'a'.repeat(16)}%00${'b'.repeat(15)}`,
      400,
      'This link has expired',
    ],
    ['a NUL byte in the link token', `/link/${'a'.repeat(16)}%00${'b'.repeat(15)}`, 410, 'This link has expired'],
    [
      'a NUL byte in the link token, on Continue',
      `/link/${'a'.repeat(16)}%00${'b'.repeat(15)}`,
      410,
      'This link has expired',
    ],
    ['a bad percent-escape in the link', '/link/%E0%A4%A', 400, 'That address isn’t right'],
    ['a state far too long', `/callback?code=abc&state=${'s'.repeat(5_000)}`, 400, 'This link has expired'],
    ['an unknown page', '/nothing-here', 404, 'Page not found'],
  ];
  it.each(cases)('%s', async (what, path, status, title) => {
    const before = await linkCount();
    const res = await fetch(`${h.config.PUBLIC_URL}${path}`, {
      method: what.endsWith('on Continue') ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { 'x-request-id': `bad-${status}` },
    });
    const html = await res.text();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain(title);
    expectEncorePage(html);
    expect(await linkCount()).toBe(before);
  });

  it('logs the cause of an error with the request id', async () => {
    await fetch(`${h.config.PUBLIC_URL}/link/%E0%A4%A`, { headers: { 'x-request-id': 'bad-escape-42' } });
    const line = h.log.lines().find((l) => l.reqId === 'bad-escape-42' && l.err);
    expect(line).toBeDefined();
    expect(JSON.stringify(line!.err)).toContain('URIError');
  });
});

describe('the request log', () => {
  it('names the route /link/:token, never the token', async () => {
    const member = h.member('log-member');
    const earlier = h.log.lines().length;
    const url = await dmLinkFor(member);
    const token = url.split('/link/')[1]!;
    const continued = await followLinkPage(url);
    await fetch(await h.spotify.consent({ authorizeUrl: continued.authorizeUrl!, userId: 'dave' }));
    await fetch(url);
    const requests = h.log
      .lines()
      .slice(earlier)
      .filter((l) => l.module === 'http' && JSON.stringify(l.req ?? {}).includes('/link/'));
    expect(requests.map((l) => (l.req as { path: string }).path)).toEqual([
      '/link/:token',
      '/link/:token',
      '/link/:token',
    ]);
    expect(h.log.text()).not.toContain(token);
  });
});
