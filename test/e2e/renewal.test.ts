import { describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';
import { linkUrl, text } from '../support/messages.js';

const DAY = 24 * 3_600_000;
const h = useEncoreHarness();

async function linked(name: string, spotifyUser: string): Promise<EUser> {
  const member = h.member(name);
  expect((await h.link(member, spotifyUser)).status).toBe(200);
  return member;
}

describe('the six-month end of a Spotify link', () => {
  it('nudges a member by DM two weeks before, once, with a fresh link', async () => {
    const member = await linked('renew-alice', 'alice');
    const before = h.dmsOf(member).length;
    await h.encore.jobs.runNow('relink-nudges', new Date(Date.now() + 150 * DAY));
    expect(h.dmsOf(member).length).toBe(before);
    await h.encore.jobs.runNow('relink-nudges', new Date(Date.now() + 170 * DAY));
    const nudge = h.dmsOf(member).at(-1)!;
    expect(text(nudge)).toContain('Spotify will end your link');
    expect(linkUrl(nudge)).toMatch(/\/link\/[\w-]{20,}$/);
    await h.encore.jobs.runNow('relink-nudges', new Date(Date.now() + 171 * DAY));
    expect(h.dmsOf(member).length).toBe(before + 1);
  });

  it('on invalid_grant marks the link dead, DMs a relink link, keeps the data, and works again after relinking', async () => {
    const member = await linked('renew-bob', 'bob');
    const realNow = Date.now;
    h.spotify.control.now = () => realNow() + 200 * DAY; // Spotify's clock: the refresh token has died
    const seen = await h.invoke('/chart', { kind: 'top-artists' }, member);
    expect(text(seen.final)).toContain('Your Spotify link has expired');
    const relinkDm = h.dmsOf(member).at(-1)!;
    expect(text(relinkDm)).toContain('Spotify ended your link');
    expect((await h.invoke('/profile', {}, member)).final!.embeds[0]).toMatchObject({
      title: 'Linked as Bob Marley Fan',
    });
    expect(text((await h.invoke('/profile', {}, member)).final)).toContain('Expired — run /link to link again');

    const opened = await fetch(linkUrl(relinkDm));
    expect(await opened.text()).toContain('Discord user @renew-bob'); // the relink DM's link names its member too
    const callback = await h.spotify.consent({
      authorizeUrl: (await followLinkPage(linkUrl(relinkDm))).authorizeUrl!,
      userId: 'bob',
    });
    expect((await fetch(callback)).status).toBe(200);
    expect(text((await h.invoke('/profile', {}, member)).final)).toContain('Working');
    const chart = await h.invoke('/chart', { kind: 'top-artists' }, member);
    expect(chart.final!.files).toHaveLength(1);
    h.spotify.control.now = realNow;
  });
});
