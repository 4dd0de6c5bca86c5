import { describe, expect, it } from 'vitest';
import { buttons, contentAndEmbeds, text } from '../support/messages.js';
import { useSourcesWorld } from '../support/sourcesWorld.js';

/**
 * Issue 23 through the real bot: a member connects ListenBrainz with a token typed into a modal (checked
 * once, never kept), another connects Last.fm through its web flow and Encore's callback; nobody can
 * claim someone else's account; the backfill brings each whole history in; /profile and /unlink
 * cover both.
 */
const { h, lb, lfm, playsOf } = useSourcesWorld(() => ({
  listenbrainz: {
    users: [
      { name: 'lena', years: 0.25, perDay: 30, seed: 11 },
      { name: 'otto', years: 0.1, perDay: 5, seed: 12 },
    ],
  },
}));

const count = async (sql: string, ...params: unknown[]) =>
  Number((await h.encore.store.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

/** /link source:ListenBrainz, its button, then the modal with `token`. */
async function connectListenBrainz(member: ReturnType<typeof h.member>, token: string) {
  const prompt = await h.invoke('/link', { source: 'listenbrainz' }, member);
  expect(prompt.final?.flags ?? 0).toBeGreaterThan(0); // ephemeral
  const open = buttons(prompt.final!).find((b) => b.custom_id === 'link:lb-token')!;
  await h.click(prompt.final!, open.custom_id!, member);
  expect(h.modalOf(member)?.title).toBe('Connect ListenBrainz');
  return h.submitModal({ token }, member);
}

/** Runs the sync job until nothing is due (each run steps every due link for a while). */
async function syncUntilIdle(max = 40) {
  for (let i = 0; i < max; i++) {
    const before = await count(`SELECT count(*) AS n FROM plays`);
    await h.encore.jobs.runNow('sync-sources');
    const due = await count(
      `SELECT count(*) AS n FROM source_sync WHERE status = 'ok' AND NOT backfill_done AND next_poll_at <= now()`,
    );
    if (due === 0 && (await count(`SELECT count(*) AS n FROM plays`)) === before) return;
  }
}

describe('connecting ListenBrainz', () => {
  it('checks the token once, keeps only the user name, and brings the whole history in', async () => {
    const member = h.member('lb-lena');
    const token = lb.user('lena').token;
    const done = await connectListenBrainz(member, token);
    expect(text(done.final)).toContain('Connected ListenBrainz as lena');
    expect(
      (await h.encore.store.pool.query(`SELECT user_name FROM source_links WHERE member_id = $1`, [member.id])).rows,
    ).toEqual([{ user_name: 'lena' }]);
    // The token is nowhere: not in any table Encore writes, not in its log.
    const dump = await h.encore.store.pool.query(
      `SELECT string_agg(t::text, ' ') AS all FROM (SELECT * FROM keyv UNION ALL SELECT member_id, user_name FROM source_links) t`,
    );
    expect(String(dump.rows[0]?.all ?? '')).not.toContain(token);
    expect(JSON.stringify(h.log.lines())).not.toContain(token);

    await syncUntilIdle();
    const expected = lb.user('lena').history.count();
    expect(expected).toBeGreaterThan(1000);
    expect(await playsOf(member.id)).toBe(expected);
    expect(
      h
        .dmsOf(member)
        .map((m) => text(m))
        .join(' '),
    ).toContain('Your history is in');

    // A ListenBrainz member may /import a Spotify export too: no Spotify link needed.
    const dms = h.dmsOf(member).length;
    const imported = await h.invoke('/import', {}, member);
    expect(contentAndEmbeds(imported.final)).not.toContain('haven’t linked');
    expect(h.dmsOf(member).length).toBe(dms + 1);
  });

  it('refuses a made-up token and someone else’s account, storing nothing', async () => {
    const stranger = h.member('lb-stranger');
    const wrong = await connectListenBrainz(stranger, '00000000-0000-4000-8000-000000000000');
    expect(contentAndEmbeds(wrong.final)).toContain('doesn’t recognise that user token');
    const thief = await connectListenBrainz(stranger, lb.user('lena').token);
    expect(contentAndEmbeds(thief.final)).toContain('already connected to another Discord member');
    expect(await count(`SELECT count(*) AS n FROM source_links WHERE member_id = $1`, stranger.id)).toBe(0);
  });
});

describe('connecting Last.fm', () => {
  /** /link source:Last.fm, then Last.fm's approval page as `user`: where it sends the browser. */
  async function approve(member: ReturnType<typeof h.member>, user: string) {
    const seen = await h.invoke('/link', { source: 'lastfm' }, member);
    const url = buttons(seen.final!).find((b) => b.url)!.url!;
    expect(url.startsWith(lfm.authUrl)).toBe(true);
    const page = await fetch(`${url}&as=${user}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    return page.headers.get('location')!;
  }

  it('goes through Last.fm’s approval and Encore’s callback; a replay is refused', async () => {
    const member = h.member('lfm-hugo');
    const callback = await approve(member, 'hugo');
    expect(callback.startsWith(`${h.config.PUBLIC_URL}/lastfm/callback?state=`)).toBe(true);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Connected Last.fm as hugo');
    expect(text(h.dmsOf(member).at(-1))).toContain('Connected Last.fm as hugo');
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('expired');

    await syncUntilIdle();
    expect(await playsOf(member.id)).toBeGreaterThan(900);

    const profile = await h.invoke('/profile', {}, member);
    expect(text(profile.final)).toContain('Last.fm');
    expect(text(profile.final)).toContain('hugo');
  });

  it('refuses a token Last.fm never approved, and another member’s account', async () => {
    const member = h.member('lfm-other');
    const callback = await approve(member, 'gwen');
    const state = new URL(callback).searchParams.get('state')!;
    const forged = await fetch(`${h.config.PUBLIC_URL}/lastfm/callback?state=${state}&token=${lfm.unapprovedToken()}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('didn’t confirm');

    const taken = await fetch(await approve(member, 'hugo'));
    expect(taken.status).toBe(409);
    expect(await count(`SELECT count(*) AS n FROM source_links WHERE member_id = $1`, member.id)).toBe(0);
  });
});

describe('/unlink', () => {
  it('erases the connection, its sync state and the plays it brought', async () => {
    const member = h.member('lb-otto');
    expect(text((await connectListenBrainz(member, lb.user('otto').token)).final)).toContain('as otto');
    await syncUntilIdle();
    expect(await playsOf(member.id)).toBeGreaterThan(0);
    const ask = await h.invoke('/unlink', {}, member);
    const confirm = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask.final!, confirm.custom_id!, member);
    expect(text(done.final)).toContain('your ListenBrainz or Last.fm connection');
    expect(await count(`SELECT count(*) AS n FROM source_links WHERE member_id = $1`, member.id)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM source_sync WHERE member_id = $1`, member.id)).toBe(0);
    expect(await playsOf(member.id)).toBe(0);
  });
});
