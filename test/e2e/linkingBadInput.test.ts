import { describe, expect, it } from 'vitest';
import { requestLinkUrl, useEncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';

const h = useEncoreHarness({ config: { SPOTIFY_USER_CAP: 2 } });

const get = async (path: string) => {
  const res = await fetch(`${h.config.PUBLIC_URL}${path}`, { redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};
const linkCount = async () =>
  (await h.encore.store.pool.query(`SELECT count(*)::int AS n FROM keyv WHERE key LIKE 'links:%'`)).rows[0].n as number;

describe('hostile or broken callbacks change nothing and say what to do', () => {
  it.each([
    ['no state', '/callback?code=abc', 400, 'This link has expired'],
    ['an unknown state', '/callback?code=abc&state=forged', 400, 'This link has expired'],
    ['an unknown link token', '/link/not-a-real-token', 410, 'This link has expired'],
  ])('%s', async (_what, path, status, text) => {
    const before = await linkCount();
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.html).toContain(text);
    expect(await linkCount()).toBe(before);
  });

  async function stateFor(name: string) {
    const member = h.member(name);
    const url = await requestLinkUrl(h, member);
    const authorize = new URL((await followLinkPage(url)).authorizeUrl!);
    return { member, authorize, state: authorize.searchParams.get('state')! };
  }

  it('a callback without a code, then a replay of the same state', async () => {
    const { state } = await stateFor('nocode');
    const first = await get(`/callback?state=${state}`);
    expect(first.html).toContain('Spotify didn’t finish');
    const replay = await get(`/callback?state=${state}&code=whatever`);
    expect(replay.html).toContain('This link has expired');
  });

  it('a code Spotify refuses to exchange', async () => {
    const { state } = await stateFor('badcode');
    const res = await get(`/callback?state=${state}&code=forged-code`);
    expect(res.status).toBe(502);
    expect(res.html).toContain('Spotify didn’t confirm the link');
  });

  it('never echoes the code or state into the page', async () => {
    const { state } = await stateFor('echo');
    const res = await get(`/callback?state=${state}&code=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(res.html).not.toContain('<script>');
    expect(res.html).not.toContain(state);
  });

  it('refuses a new member once the user cap is reached, but lets a linked member relink', async () => {
    const first = h.member('cap-1');
    expect((await h.link(first, 'alice')).status).toBe(200);
    expect((await h.link(h.member('cap-2'), 'bob')).status).toBe(200);
    const full = await h.link(h.member('cap-3'), 'carol');
    expect(full.status).toBe(403);
    expect(full.html).toContain('This bot is full');
    expect(await linkCount()).toBe(2);
    expect((await h.link(first, 'alice')).status).toBe(200);
    expect(await linkCount()).toBe(2);
  });

  it('rate-limits /link per member', async () => {
    const eager = h.member('eager');
    for (let i = 0; i < 3; i++)
      expect(JSON.stringify((await h.invoke('/link', {}, eager)).final!.embeds)).toContain('sent you a DM');
    const fourth = await h.invoke('/link', {}, eager);
    expect(JSON.stringify(fourth.final!.embeds)).toContain('asked for several links already');
  });

  it('rate-limits /link per member even when ten arrive at once', async () => {
    const hasty = h.member('hasty');
    const seen = await Promise.all(Array.from({ length: 10 }, () => h.invoke('/link', {}, hasty)));
    const sent = seen.filter((s) => JSON.stringify(s.final!.embeds).includes('sent you a DM'));
    const refused = seen.filter((s) => JSON.stringify(s.final!.embeds).includes('asked for several links already'));
    expect([sent.length, refused.length]).toEqual([3, 7]);
    expect(h.dmsOf(hasty).filter((m) => JSON.stringify(m.components).includes('/link/'))).toHaveLength(3);
  });
});
