import { describe, expect, it } from 'vitest';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { contentAndEmbeds, linkUrl, text } from '../support/messages.js';

const h = useEncoreHarness();
const DAY = 86_400_000;

const count = async (sql: string, memberId: string) =>
  Number((await h.encore.store.pool.query(sql, [memberId])).rows[0].n);
const lines = (body: string) =>
  body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('/import through the bot', () => {
  it('DMs a one-time upload link; the page takes Spotify’s zip, stores each listen once and DMs the result', async () => {
    const member = h.member('importer');
    expect((await h.link(member, 'dave')).status).toBe(200);
    // The collector has the last 50 plays already: the export's copies of them are not stored again.
    await h.encore.jobs.runNow('collect-history');
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, member.id)).toBe(50);

    const seen = await h.invoke('/import', {}, member);
    expect(seen.ephemeral).toBe(true);
    expect(text(seen.final)).toContain('I’ve sent you a DM');
    const dm = h.dmsOf(member).at(-1)!;
    expect(text(dm)).toContain('Import your Spotify history');
    const url = linkUrl(dm);
    expect(url).toMatch(/\/import\/[A-Za-z0-9_-]{32}$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Drop your files here');
    expect(html).toContain('Your history goes to Discord user @importer.');

    const now = Date.now();
    const zip = await h.spotify.exportExtendedHistory('dave', { from: now - 60 * DAY, to: now }, { perFile: 400 });
    const played = h.spotify.listening.playsBetween('dave', now - 60 * DAY, now);
    expect(played.length).toBeGreaterThan(500);
    const dmsBefore = h.dmsOf(member).length;
    const res = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
    expect(res.status).toBe(200);
    const out = lines(await res.text());
    expect(out.filter((l) => l.progress).length).toBeGreaterThan(1);
    const done = out.at(-1)!.done as { imported: number; duplicates: number; message: string };
    expect(done).toMatchObject({ imported: played.length - 50, duplicates: 50 });
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, member.id)).toBe(played.length);
    expect(await count(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`, member.id)).toBe(
      played.length,
    );

    const result = h.dmsOf(member)[dmsBefore]!;
    expect(contentAndEmbeds(result)).toContain(`Imported ${(played.length - 50).toLocaleString('en-US')} plays from `);
    expect(contentAndEmbeds(result)).toContain(done.message);

    // The link worked once.
    const again = await fetch(url, { method: 'POST', body: new Uint8Array(zip) });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: string }).error).toContain('expired or was already used');
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, member.id)).toBe(played.length);

    // The request log names the route, never the token.
    const token = url.split('/import/')[1]!;
    const paths = h.log
      .lines()
      .filter((l) => l.module === 'http' && JSON.stringify(l.req ?? {}).includes('/import/'))
      .map((l) => (l.req as { path: string }).path);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    expect(new Set(paths)).toEqual(new Set(['/import/:token']));
    expect(h.log.text()).not.toContain(token);
  });

  it('hands out three upload links per ten minutes, as /link does', async () => {
    const member = h.member('link-hoarder');
    expect((await h.link(member, 'bob')).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect(text((await h.invoke('/import', {}, member)).final)).toContain('I’ve sent you a DM');
    const dms = h.dmsOf(member).length;
    const refused = await h.invoke('/import', {}, member);
    expect(contentAndEmbeds(refused.final)).toContain('You’ve asked for several upload links already. Try again <t:');
    expect(h.dmsOf(member)).toHaveLength(dms);
  });

  it('needs a linked member, and puts the link in the private reply when DMs are closed', async () => {
    const stranger = h.member('not-linked');
    const refused = await h.invoke('/import', {}, stranger);
    expect(contentAndEmbeds(refused.final)).toContain('haven’t linked Spotify yet');
    expect(h.dmsOf(stranger)).toEqual([]);

    const closed = h.member('closed-dms', { dmsClosed: true });
    expect((await h.link(closed, 'erin')).status).toBe(200);
    const seen = await h.invoke('/import', {}, closed);
    expect(seen.ephemeral).toBe(true);
    expect(text(seen.final)).toContain('your DMs from this server are closed');
    expect((await fetch(linkUrl(seen.final!))).status).toBe(200);
  });
});
