import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { contentAndEmbeds, linkUrl } from '../support/messages.js';
import { launchChromium, type Launched } from './chromium.js';

let h: EncoreHarness;
let launched: Launched;
let browser: Browser;
beforeAll(async () => {
  launched = await launchChromium();
  if (!launched.browser) return;
  browser = launched.browser;
  // No scheduled job runs by itself: a collector poll on the wall clock's minute would add the
  // member's recently-played to the plays these tests count (51 where the import stored 1).
  h = await startEncoreHarness({ jobTicks: manualTicks().source });
}, 60_000);
// Without a Chromium the tests are skipped with the reason, which the run's summary prints.
beforeEach((context) => {
  if (!launched.browser) context.skip(`no Chromium could be started: ${launched.reason}`);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const DAY = 86_400_000;
const plays = async (memberId: string) =>
  Number(
    (await h.encore.store.pool.query(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [memberId])).rows[0].n,
  );

/** A linked member and the upload link /import DMs them. */
async function uploadLinkFor(name: string, spotifyUser: string) {
  const member = h.member(name);
  expect((await h.link(member, spotifyUser)).status).toBe(200);
  await h.invoke('/import', {}, member);
  return { member, url: linkUrl(h.dmsOf(member).at(-1)!) };
}

describe('the upload page in a real browser', () => {
  it('takes Spotify’s zip from the file picker, shows the result, and the member gets the DM', async () => {
    const { member, url } = await uploadLinkFor('browser-importer', 'alice');
    const now = Date.now();
    const zip = await h.spotify.exportExtendedHistory('alice', { from: now - 30 * DAY, to: now }, { perFile: 300 });
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => m.type() === 'error' && blocked.push(m.text()));
    await page.goto(url);
    expect(await page.locator('h1').textContent()).toBe('Import your Spotify history');
    expect(await page.locator('#who').textContent()).toContain('Your history goes to Discord user @browser-importer');
    // The Content-Security-Policy lets the page's own style and script run, and nothing else.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(49, 51, 56)');
    await page.setInputFiles('#files', { name: 'my_spotify_data.zip', mimeType: 'application/zip', buffer: zip });
    await page.locator('main.ok').waitFor();
    const result = (await page.locator('#status').textContent())!;
    const stored = await plays(member.id);
    expect(stored).toBe(h.spotify.listening.playsBetween('alice', now - 30 * DAY, now).length);
    // "from October 2026 to November 2026", or "in November 2026" when the 30 days lie in one month.
    expect(result).toMatch(
      new RegExp(`^Imported ${stored.toLocaleString('en-US')} plays (from|in) [A-Z][a-z]+ \\d{4}`),
    );
    expect(contentAndEmbeds(h.dmsOf(member).at(-1))).toContain(result);
    expect(blocked.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    await page.close();
  });

  it('takes several loose JSON files together, says which one is damaged (nothing stored), and the same link then takes the good one', async () => {
    const { member, url } = await uploadLinkFor('browser-loose', 'bob');
    const good = JSON.stringify([
      { endTime: '2022-12-05 16:52', artistName: 'Somebody', trackName: 'Something', msPlayed: 200_000 },
    ]);
    const page = await browser.newPage();
    await page.goto(url);
    await page.setInputFiles('#files', [
      { name: 'StreamingHistory_music_0.json', mimeType: 'application/json', buffer: Buffer.from(good) },
      { name: 'StreamingHistory_music_1.json', mimeType: 'application/json', buffer: Buffer.from('[{"endTime":') },
    ]);
    await page.locator('main.problem').waitFor();
    expect(await page.locator('#status').textContent()).toMatch(
      /^StreamingHistory_music_1\.json is damaged: it isn’t valid JSON \(line 1, column \d+\)\. Nothing was imported\..* This link still works: drop your files to try again\.$/,
    );
    expect(await plays(member.id)).toBe(0);

    // The same page, the same link, the good file alone.
    await page.setInputFiles('#files', [
      { name: 'StreamingHistory_music_0.json', mimeType: 'application/json', buffer: Buffer.from(good) },
    ]);
    await page.locator('main.ok').waitFor();
    expect(await page.locator('#status').textContent()).toBe('Imported 1 play in December 2022.');
    expect(await plays(member.id)).toBe(1);
    // Imported once: the link is spent.
    expect((await page.goto(url))?.status()).toBe(410);
    await page.close();
  });

  it('cannot be framed by another page', async () => {
    const { url } = await uploadLinkFor('browser-framed', 'carol');
    const page = await browser.newPage();
    await page.goto(`${h.config.PUBLIC_URL}/nothing-here`);
    await page.setContent(`<iframe id="f" src="${url}"></iframe>`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    // Chromium refuses to render it (frame-ancestors 'none', X-Frame-Options) and shows its error page instead.
    await expect.poll(() => frame.url()).toMatch(/^chrome-error:/);
    expect(await frame.locator('#files').count()).toBe(0);
    await page.close();
  });
});
