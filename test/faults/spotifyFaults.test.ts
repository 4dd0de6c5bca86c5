import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds as text } from '../support/messages.js';
import { sortWorld } from '../support/sortWorld.js';

/**
 * Spotify misbehaving under a sort: 5xx bursts, 429 storms, writes that land but answer 500,
 * answers slower than the request timeout. Each test asserts what ends up in the member's library
 * (every track exactly once, in the playlists the preview promised) and what the member was told.
 */

// Backoff waits are recorded, not slept: the retry policy is under test, not the wall clock.
const backoffs: number[] = [];
let skew = 0;
const h = useEncoreHarness({
  clock: () => Date.now() + skew,
  spotifyLimits: {
    sleep: async (ms: number) => void backoffs.push(ms),
    random: () => 0.5,
    // A held request is "slower than the timeout" without the test waiting 8 or 30 seconds.
    // Short enough that a test waits for it, long enough that a busy machine's honest answers beat it.
    requestTimeoutMs: { interactive: 3_000, background: 3_000, warming: 3_000 },
  } as never,
});

// Sorts of 1,000 tracks with pauses and resumes, on a machine shared with other suites.
vi.setConfig({ testTimeout: 60_000 });

let alice: EUser;
beforeAll(async () => {
  alice = h.member('alice-spotify-faults');
  expect((await h.link(alice, 'alice')).status).toBe(200);
}, 60_000);

const SOURCE = 'roadtrip1000';
const NAME = 'Road trip';
const ITEMS = /^\/playlists\/[^/]+\/items$/;
const { trackUris, createdFrom, deleteCreated } = sortWorld(() => h.spotify, 'alice');

const planOf = (preview: RecordedMessage) =>
  (preview.embeds[0] as { description: string }).description
    .split('\n')
    .map((l) => /\*\*(.+)\*\* — (\d+) tracks/.exec(l)!.slice(1))
    .map(([name, count]) => [name!, Number(count)] as const)
    .sort();
const asWritten = () =>
  createdFrom(NAME)
    .map((p) => [p.name, p.items.length] as const)
    .sort();
/** The end state of an uninterrupted sort: the preview's playlists, every source track in exactly one, once. */
const expectSortedOnce = (preview: RecordedMessage) => {
  const placed = createdFrom(NAME).flatMap((p) => p.items.map((i) => `spotify:track:${(i as { id: string }).id}`));
  expect(placed.length).toBe(new Set(placed).size);
  expect(placed.sort()).toEqual(trackUris(SOURCE).sort());
  expect(asWritten()).toEqual(planOf(preview));
  expect(new Set(createdFrom(NAME).map((p) => p.name)).size).toBe(createdFrom(NAME).length);
};
const responses = (method: string, path: RegExp, status: number) =>
  h.spotify.requests.filter((r) => r.method === method && path.test(r.path) && r.status === status).length;

async function preview() {
  deleteCreated(NAME);
  const shown = (await h.invoke('/sort', { playlist: SOURCE, min_tracks: 10 }, alice)).final!;
  const confirm = buttons(shown).find((b) => b.custom_id?.startsWith('sort:confirm:'));
  expect(confirm, text(shown)).toBeDefined();
  return { shown, confirm: confirm!.custom_id! };
}

/** The every-minute resume tick, `minutes` from now (the 10-minute outage pause has passed). */
const resumeAfter = (minutes: number) => h.encore.jobs.runNow('resume-sorts', new Date(Date.now() + minutes * 60_000));
const finishedDms = (since: number) =>
  h
    .dmsOf(alice)
    .slice(since)
    .filter((m) => text(m).includes('is finished'));

afterEach(() => {
  h.spotify.control.faults.length = 0;
  h.spotify.control.rateLimit.count = 0;
});

describe('Spotify writes that land but answer 500', () => {
  it('a track write that landed and answered 500 pauses the sort; the resume counts what is there and adds nothing twice', async () => {
    const { shown, confirm } = await preview();
    const dms = h.dmsOf(alice).length;
    h.spotify.addFault({ method: 'POST', path: ITEMS, status: 500, lands: true, times: 1 });
    const clicked = await h.click(shown, confirm, alice);
    expect(text(clicked.final)).toContain('Paused');
    // The write did land: some tracks are already in a genre playlist although Spotify answered 500.
    expect(responses('POST', ITEMS, 500)).toBe(1);
    expect(createdFrom(NAME).some((p) => p.items.length > 0)).toBe(true);

    await resumeAfter(11);
    expectSortedOnce(shown);
    expect(finishedDms(dms)).toHaveLength(1);
  });

  it('a playlist create that landed and answered 500 is found again by its marker: no second playlist of that genre', async () => {
    const { shown, confirm } = await preview();
    h.spotify.addFault({ method: 'POST', path: '/me/playlists', status: 500, lands: true, times: 1 });
    const clicked = await h.click(shown, confirm, alice);
    expect(text(clicked.final)).toContain('Paused');
    await resumeAfter(11);
    expectSortedOnce(shown);
  });

  it('a burst of landed-but-500 writes across several playlists still ends with each track once', async () => {
    const { shown, confirm } = await preview();
    const dms = h.dmsOf(alice).length;
    h.spotify.addFault({ method: 'POST', path: ITEMS, status: 502, lands: true, times: 4 });
    await h.click(shown, confirm, alice);
    // Each resume may meet more of the burst; a bounded number of ticks finishes it.
    for (let tick = 1; tick <= 5 && finishedDms(dms).length === 0; tick++) await resumeAfter(11 * tick);
    expect(responses('POST', ITEMS, 502)).toBe(4);
    expectSortedOnce(shown);
    expect(finishedDms(dms)).toHaveLength(1);
  });
});

describe('a reorder (replace) whose writes land but answer 500', () => {
  it.each([
    ['the rewrite of its first 100 items', 'PUT'],
    ['an append of the rest', 'POST'],
  ])('%s: resumed, the playlist holds exactly its tracks, each once, in the new order', async (_what, method) => {
    // A copy of Road trip of the member's own, so the split tests' source stays as it was.
    const source = h.spotify.world.playlists.get(SOURCE)!;
    const id = `orderfaults${method.toLowerCase()}`.padEnd(22, '0');
    h.spotify.world.playlists.set(id, { ...source, id, name: `Order faults ${method}`, items: [...source.items] });
    const before = trackUris(id);
    const seen = (await h.invoke('/sort', { playlist: id, mode: 'order', order_by: 'release-date' }, alice)).final!;
    const replace = buttons(seen).find((b) => b.custom_id?.includes('order-replace'));
    expect(replace, text(seen)).toBeDefined();
    h.spotify.addFault({ method, path: ITEMS, status: 500, lands: true, times: 1 });
    const clicked = await h.click(seen, replace!.custom_id!, alice);
    expect(text(clicked.final)).toContain('Not finished yet');
    expect(responses(method, ITEMS, 500)).toBeGreaterThan(0);
    await resumeAfter(11);
    const after = h.spotify.world.playlists.get(id)!.items.map((i) => `spotify:track:${(i as { id: string }).id}`);
    expect(after.length).toBe(new Set(after).size);
    expect([...after].sort()).toEqual([...before].sort());
    expect(after).not.toEqual(before);
  });
});

describe('Spotify 5xx bursts on reads', () => {
  it('three 503s on the playlist read are retried with a growing backoff and the member gets the same preview', async () => {
    const clean = await preview();
    backoffs.length = 0;
    const before = responses('GET', ITEMS, 503);
    h.spotify.addFault({ method: 'GET', path: ITEMS, status: 503, times: 3 });
    const again = await preview();
    expect(responses('GET', ITEMS, 503) - before).toBe(3);
    // Pages are read side by side: each 503 cost that page one backoff (half to all of 250 ms) and one retry.
    expect(backoffs).toHaveLength(3);
    for (const ms of backoffs) expect(ms >= 125 && ms <= 250, String(ms)).toBe(true);
    expect(planOf(again.shown)).toEqual(planOf(clean.shown));
  });

  it('a burst longer than the retries ends in a clear "Spotify isn’t answering" reply, not silence or a stack trace', async () => {
    h.spotify.addFault({ method: 'GET', path: ITEMS, status: 503 });
    backoffs.length = 0;
    const seen = await h.invoke('/sort', { playlist: SOURCE, min_tracks: 10 }, alice);
    // The reply had already shown progress, so the error boundary follows up (ephemeral) under it.
    expect([seen.final, ...seen.followUps].map(text).join()).toContain('Spotify isn’t answering right now');
    // The page that failed had its three retries first.
    expect(backoffs.length).toBeGreaterThanOrEqual(3);
  });
});

describe('Spotify 429 storms', () => {
  it('a storm of short Retry-Afters during a sort is waited out: the sort finishes with each track once', async () => {
    const { shown, confirm } = await preview();
    const dms = h.dmsOf(alice).length;
    const before = h.spotify.requests.filter((r) => r.status === 429).length;
    h.spotify.control.rateLimit = { count: 3, retryAfterSec: 1 };
    const clicked = await h.click(shown, confirm, alice);
    const done = text(clicked.final).includes('Done: ');
    // Interactive work waits out a 1 s Retry-After; a stubborn storm parks the sort instead.
    if (!done) {
      expect(text(clicked.final)).toContain('Paused');
      for (let tick = 1; tick <= 3 && finishedDms(dms).length === 0; tick++) await resumeAfter(tick);
    }
    expect(h.spotify.requests.filter((r) => r.status === 429).length - before).toBe(3);
    expectSortedOnce(shown);
  }, 60_000);

  it('a 429 with a long Retry-After fails an interactive preview fast, telling the member when, and holds every request until then', async () => {
    h.spotify.control.rateLimit = { count: 1, retryAfterSec: 120 };
    const before429 = h.spotify.requests.filter((r) => r.status === 429).length;
    const seen = (await h.invoke('/sort', { playlist: SOURCE, min_tracks: 10 }, alice)).final!;
    expect(text(seen)).toContain('Spotify asked us to slow down');
    expect(h.spotify.requests.filter((r) => r.status === 429).length - before429).toBe(1);
    // Within the two minutes, a second try is refused at the gateway: Spotify sees nothing.
    const sent = h.spotify.requests.length;
    const again = (await h.invoke('/sort', { playlist: SOURCE, min_tracks: 10 }, alice)).final!;
    expect(text(again)).toContain('Spotify asked us to slow down');
    expect(h.spotify.requests.length).toBe(sent);
    // After Retry-After the preview works again.
    skew = 121_000;
    await preview();
  });
});

describe('Spotify slower than the request timeout', () => {
  it('a read held past the timeout is abandoned and retried: the member gets the preview', async () => {
    const reads = () => h.spotify.requests.filter((r) => r.method === 'GET' && ITEMS.test(r.path)).length;
    const first = reads();
    const clean = await preview();
    const cleanReads = reads() - first;
    let release!: () => void;
    const before = reads();
    h.spotify.addFault({ method: 'GET', path: ITEMS, gate: new Promise<void>((r) => (release = r)), times: 1 });
    try {
      const again = await preview();
      expect(planOf(again.shown)).toEqual(planOf(clean.shown));
      // One more GET than a clean preview: the abandoned one.
      expect(reads() - before).toBe(cleanReads + 1);
    } finally {
      release();
    }
  });

  it('a track write held past the timeout that lands afterwards is not written again on resume', async () => {
    const { shown, confirm } = await preview();
    const dms = h.dmsOf(alice).length;
    let release!: () => void;
    // Spotify applies the write at once but its answer comes after the bot stopped waiting.
    h.spotify.addFault({
      method: 'POST',
      path: ITEMS,
      lands: true,
      gate: new Promise<void>((r) => (release = r)),
      times: 1,
    });
    try {
      const clicked = await h.click(shown, confirm, alice);
      expect(text(clicked.final)).toContain('Paused');
      expect(createdFrom(NAME).some((p) => p.items.length > 0)).toBe(true);
    } finally {
      release();
    }
    await resumeAfter(11);
    expectSortedOnce(shown);
    expect(finishedDms(dms)).toHaveLength(1);
  });
});
