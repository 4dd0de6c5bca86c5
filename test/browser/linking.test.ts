import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestLinkUrl, startEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';
import { launchChromium, type Launched } from './chromium.js';

let h: EncoreHarness;
let launched: Launched;
let browser: Browser;
beforeAll(async () => {
  launched = await launchChromium();
  if (!launched.browser) return;
  browser = launched.browser;
  h = await startEncoreHarness();
}, 60_000);
// Without a Chromium the tests are skipped with the reason, which the run's summary prints.
beforeEach((context) => {
  if (!launched.browser) context.skip(`no Chromium could be started: ${launched.reason}`);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The link the member's DM carries, as they would click it. */
async function dmLinkFor(name: string) {
  const member = h.member(name);
  return { member, url: await requestLinkUrl(h, member) };
}

describe('linking in a real browser', () => {
  it('goes from the DM link through the page naming the Discord account and Spotify’s consent page (Approve) to the success page', async () => {
    const { member, url } = await dmLinkFor('browser-alice');
    const page = await browser.newPage();
    await page.goto(url);
    expect(await page.locator('body').textContent()).toContain(
      'You are linking Spotify to Discord user @browser-alice',
    );
    expect(await page.locator('body').textContent()).toContain('Not you? Close this page');
    // The Content-Security-Policy lets the page's own style apply (by hash), and Continue still reaches Spotify.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(49, 51, 56)');
    await page.getByRole('button', { name: 'Continue to Spotify' }).click();
    await page.waitForURL(/\/authorize\?/);
    expect(await page.title()).toContain('Authorize');
    await page.selectOption('select[name=user]', 'dave');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/\/callback\?/);
    expect(await page.locator('h1').textContent()).toBe('Linked as Dave');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).borderTopColor)).toBe(
      'rgb(87, 242, 135)',
    );
    expect(await page.locator('body').textContent()).toContain('You can close this tab and go back to Discord');
    expect(await page.locator('body').textContent()).toContain('Discord user @browser-alice');
    expect(JSON.stringify(h.dmsOf(member).at(-1)!.embeds)).toContain('Linked as Dave');
    await page.close();
  });

  it('shows a clear failure page after Deny, and the link cannot be used again', async () => {
    const { url } = await dmLinkFor('browser-bob');
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Continue to Spotify' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(/\/callback\?/);
    expect(await page.locator('h1').textContent()).toBe('Linking cancelled');
    const again = await page.goto(url);
    expect(again?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This link has expired');
    await page.close();
  });

  it('a forwarded link, opened and closed by someone else, links nothing and still works for its owner', async () => {
    const { member, url } = await dmLinkFor('browser-carol');
    const stranger = await browser.newContext();
    const theirs = await stranger.newPage();
    await theirs.goto(url);
    expect(await theirs.locator('body').textContent()).toContain('Discord user @browser-carol');
    await stranger.close(); // "not you? close this page"

    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Continue to Spotify' }).click();
    await page.selectOption('select[name=user]', 'carol');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/\/callback\?/);
    expect(await page.locator('h1').textContent()).toMatch(/^Linked as /);
    expect(JSON.stringify(h.dmsOf(member).at(-1)!.embeds)).toContain('Linked as');
    await page.close();
  });
});
