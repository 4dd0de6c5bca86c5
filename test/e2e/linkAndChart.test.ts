import { loadImage } from '@napi-rs/canvas';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { linkUrl } from '../support/messages.js';

const h = useEncoreHarness();

describe('linking through Discord, the link page and Spotify consent', () => {
  it('DMs a one-time link, links after consent, DMs "linked as", and the link works only once', async () => {
    const alice = h.member('alice-e2e');
    const page = await h.link(alice, 'alice');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Linked as Alice Liddell');
    const dms = h.dmsOf(alice);
    expect(JSON.stringify(dms.at(-1)!.embeds)).toContain('Linked as Alice Liddell');

    const firstDm = dms[0]!;
    const url = linkUrl(firstDm);
    expect(url).toMatch(new RegExp(`^${h.config.PUBLIC_URL}/link/[\\w-]{20,}$`));
    const replay = await fetch(url, { redirect: 'manual' });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain('This link has expired');
  });

  it('shows a clear page and links nothing when the member denies consent', async () => {
    const bob = h.member('bob-e2e');
    const page = await h.link(bob, 'bob', { approve: false });
    expect(page.html).toContain('Linking cancelled');
    expect((await h.invoke('/profile', {}, bob)).final!.embeds[0]).toMatchObject({
      description: expect.stringContaining('haven’t linked Spotify'),
    });
  });

  it('tells a member Spotify does not know them to ask the operator', async () => {
    const page = await h.link(h.member('mallory-e2e'), 'mallory');
    expect(page.status).toBe(403);
    expect(page.html).toContain('isn’t registered with this bot');
  });

  it('refuses a Spotify account already linked to another Discord member', async () => {
    const page = await h.link(h.member('alice-impostor'), 'alice');
    expect(page.status).toBe(409);
    expect(page.html).toContain('Already linked to someone else');
  });

  it('puts the link in the ephemeral reply when DMs are closed', async () => {
    const shy = h.member('shy', { dmsClosed: true });
    const seen = await h.invoke('/link', {}, shy);
    expect(seen.ephemeral).toBe(true);
    expect(JSON.stringify(seen.final!.embeds)).toContain('your DMs from this server are closed');
    expect(JSON.stringify(seen.final!.components)).toContain('/link/');
  });

  it('stores no plaintext token in the database', async () => {
    const client = new pg.Client({ connectionString: h.config.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ key: string; value: string }>(
      `SELECT key, value FROM keyv WHERE key LIKE 'tokens:%'`,
    );
    await client.end();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.value).not.toMatch(/at_[\w-]{20,}|rt_[\w-]{20,}/);
      expect(JSON.parse(row.value).value).toMatchObject({
        keyId: expect.stringMatching(/^[0-9a-f]{8}$/),
        iv: expect.any(String),
        tag: expect.any(String),
      });
    }
  });
});

describe('/chart end to end', () => {
  it('answers with a deferred, ephemeral reply edited with a PNG chart of top genres and its alt text', async () => {
    const carol = h.member('carol-e2e');
    expect((await h.link(carol, 'carol')).status).toBe(200);
    const seen = await h.invoke('/chart', { kind: 'top-genres', range: 'medium_term' }, carol);
    expect(seen.deferred).toBe(true);
    expect(seen.ephemeral).toBe(true);
    const [file] = seen.final!.files;
    expect(file!.filename).toBe('top-genres.png');
    expect(file!.description).toMatch(/^Bar chart of your top genres: /);
    const image = await loadImage(file!.bytes);
    expect([image.width, image.height]).toEqual([1200, 720]);
    expect(JSON.stringify(seen.final!.embeds)).toContain('attachment://top-genres.png');
  });

  it('posts publicly when asked', async () => {
    const erin = h.member('erin-e2e');
    expect((await h.link(erin, 'erin')).status).toBe(200);
    const seen = await h.invoke('/chart', { kind: 'top-artists', public: true }, erin);
    expect(seen.ephemeral).toBe(false);
    expect(seen.final!.files[0]!.description).toMatch(/^Ranked bar chart of your top artists: 1\. /);
  });

  it('offers the top lists, the history charts (listening clock, genre mix) and the cover grids, with history periods', () => {
    const registered = [...h.emulator.state.commands.global, ...[...h.emulator.state.commands.guild.values()].flat()];
    const chart = registered.find((c) => c.name === 'chart') as
      { options: Array<{ name: string; choices?: Array<{ value: string }> }> } | undefined;
    expect(chart).toBeDefined();
    expect(chart!.options.find((o) => o.name === 'kind')!.choices!.map((c) => c.value)).toEqual([
      'top-genres',
      'top-artists',
      'top-tracks',
      'listening-clock',
      'genre-mix',
      'albums-grid',
      'artists-grid',
    ]);
    expect(chart!.options.find((o) => o.name === 'period')!.choices!.map((c) => c.value)).toEqual([
      'week',
      'month',
      'year',
      'all',
    ]);
  });

  it('tells a member who has not linked to run /link first', async () => {
    const seen = await h.invoke('/chart', { kind: 'top-artists' }, h.member('dave-e2e'));
    expect(seen.ephemeral).toBe(true);
    expect(JSON.stringify(seen.final!.embeds)).toContain('Run **/link**');
  });

  it('never wrote a token, authorization code or OAuth state to the logs', () => {
    const logs = h.log.text();
    expect(logs).toContain('spotify callback');
    expect(logs).not.toMatch(/at_[\w-]{20,}|rt_[\w-]{20,}|code_[\w-]{20,}/);
    expect(logs).not.toMatch(/state=|code=/);
  });
});
