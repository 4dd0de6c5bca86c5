import { describe, expect, it } from 'vitest';
import { beginAuthorization, completeAuthorization, previewLink, startLink } from '../../src/app/accounts/linking.js';
import type { EUser } from '../../emulators/discord/index.js';
import { requestLinkUrl, useEncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';
import { buttons, linkUrl, text } from '../support/messages.js';

const h = useEncoreHarness();

const accounts = () => h.encore.services.accounts!;

/** /link and the DM's link, as the member's browser follows it; what each step carried. */
async function startLinking(member: EUser) {
  const url = await requestLinkUrl(h, member);
  const { authorizeUrl: followed, html: linkPage } = await followLinkPage(url);
  const authorizeUrl = followed!;
  return {
    url,
    linkPage,
    linkToken: url.split('/link/')[1]!,
    authorizeUrl,
    state: new URL(authorizeUrl).searchParams.get('state')!,
  };
}

describe('no token, code, state or secret ever leaves the bot', () => {
  it('not in logs, pages, the "linked" DM or any database row, through linking, a replay, a forged code and a token refresh', async () => {
    const member = h.member('secret-keeper');
    const flow = await startLinking(member);
    const callback = await h.spotify.consent({ authorizeUrl: flow.authorizeUrl, userId: 'erin' });
    const code = new URL(callback).searchParams.get('code')!;
    const pages = [flow.linkPage, await (await fetch(callback)).text(), await (await fetch(callback)).text()];
    const forged = await startLinking(h.member('forger'));
    pages.push(await (await fetch(`${h.config.PUBLIC_URL}/callback?state=${forged.state}&code=forged-${code}`)).text());
    const first = (await accounts().repo.loadTokens(member.id))!;

    // Spotify's clock moves on two hours: the access token has expired and the gateway refreshes it.
    const realNow = Date.now;
    h.spotify.control.now = () => realNow() + 2 * 3_600_000;
    try {
      expect((await h.invoke('/chart', { kind: 'top-artists' }, member)).final!.files).toHaveLength(1);
    } finally {
      h.spotify.control.now = realNow;
    }
    const refreshed = (await accounts().repo.loadTokens(member.id))!;
    expect(refreshed.accessToken).not.toBe(first.accessToken);

    const secrets = {
      linkToken: flow.linkToken,
      state: flow.state,
      forgedState: forged.state,
      code,
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
      refreshedAccessToken: refreshed.accessToken,
      refreshedRefreshToken: refreshed.refreshToken,
      clientSecret: h.config.SPOTIFY_CLIENT_SECRET,
      encryptionKey: h.config.ENCRYPTION_KEY,
    };
    const logs = h.log.text();
    expect(logs).toContain('spotify callback'); // the log was captured, so its silence means something
    const linkedDm = JSON.stringify(h.dmsOf(member).at(-1));
    expect(linkedDm).toContain('Linked as');
    const rows = (await h.encore.store.pool.query<{ value: string }>('SELECT value FROM keyv')).rows
      .map((r) => r.value)
      .join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect(logs.includes(value), `${name} in the logs`).toBe(false);
      expect(
        pages.some((p) => p.includes(value)),
        `${name} in a page`,
      ).toBe(false);
      expect(linkedDm.includes(value), `${name} in the linked DM`).toBe(false);
      if (
        [
          'accessToken',
          'refreshToken',
          'refreshedAccessToken',
          'refreshedRefreshToken',
          'clientSecret',
          'encryptionKey',
          'code',
        ].includes(name)
      ) {
        expect(rows.includes(value), `${name} in the database`).toBe(false);
      }
    }
  });
});

describe('expiry, checked on the clock the use cases are given', () => {
  it('a link opened more than ten minutes after /link is refused and changes nothing', async () => {
    const { url } = await startLink(accounts().linking, 'late-member');
    const later = { ...accounts().linking, now: () => Date.now() + 10 * 60_000 + 1 };
    expect(await previewLink(later, url.split('/link/')[1]!)).toEqual({ kind: 'invalid-link' });
    expect(await beginAuthorization(later, url.split('/link/')[1]!)).toEqual({ kind: 'invalid-link' });
    expect(await accounts().repo.getLink('late-member')).toBeUndefined();
  });

  it('a Spotify callback more than ten minutes after the link was opened is refused', async () => {
    const flow = await startLinking(h.member('slow-member'));
    const callback = new URL(await h.spotify.consent({ authorizeUrl: flow.authorizeUrl, userId: 'dave' }));
    const later = { ...accounts().linking, now: () => Date.now() + 10 * 60_000 + 1 };
    const result = await completeAuthorization(later, { state: flow.state, code: callback.searchParams.get('code')! });
    expect(result).toEqual({ kind: 'bad-state' });
  });
});

describe('/unlink', () => {
  it('deletes the link, tokens, privacy and unused links, frees the Spotify account, and an old DM link no longer works', async () => {
    const member = h.member('leaving-member');
    expect((await h.link(member, 'carol')).status).toBe(200);
    await h.invoke('/link', {}, member);
    const unused = linkUrl(h.dmsOf(member).at(-1)!);
    const ask = await h.invoke('/unlink', {}, member);
    expect(ask.ephemeral).toBe(true);
    const confirm = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask.final!, confirm.custom_id!, member);
    // The history collector may have polled the member already (its tick runs every minute).
    expect(text(done.final)).toMatch(
      /Deleted: your Spotify link, your Spotify access tokens, (your listening history \(50 plays\), )?1 unused \/link link, the times you ran \/link\./,
    );

    expect((await fetch(unused, { redirect: 'manual' })).status).toBe(410);
    expect(text((await h.invoke('/profile', {}, member)).final)).toContain('haven’t linked Spotify');
    expect((await h.link(h.member('new-owner'), 'carol')).html).toContain('Linked as');
    const left = await h.encore.store.pool.query(`SELECT key FROM keyv WHERE key LIKE $1`, [`%${member.id}%`]);
    expect(left.rows).toEqual([]);
  });

  it('changes nothing when the member keeps their data', async () => {
    const member = h.member('staying-member');
    expect((await h.link(member, 'bob')).status).toBe(200);
    const ask = await h.invoke('/unlink', {}, member);
    const keep = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:cancel'))!;
    expect(text((await h.click(ask.final!, keep.custom_id!, member)).final)).toContain('Nothing was deleted.');
    expect(text((await h.invoke('/profile', {}, member)).final)).toContain('Working');
  });
});
