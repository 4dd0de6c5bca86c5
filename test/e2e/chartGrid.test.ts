import { createCanvas, loadImage } from '@napi-rs/canvas';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoverArtArchiveEmulator, type CoverArtArchiveEmulator } from '../../emulators/coverart/server.js';
import { startListenBrainzEmulator, type ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import { GRID_WIDTH, placeholderColour, tileBox } from '../../src/charts/grid/coverGridImage.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { buttons } from '../support/messages.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// A Monday 00:00 UTC a week after the real now: the scheduler's own ticks never find a member due.
const T0 = (() => {
  const day = Math.floor(Date.now() / DAY) + 7;
  return (day + ((7 - ((day + 3) % 7)) % 7)) * DAY;
})();
let now = T0;
let setAt = Date.now();
const moveTo = (at: number) => {
  now = at;
  setAt = Date.now();
};
const coverDir = mkdtempSync(path.join(tmpdir(), 'encore-grid-e2e-'));
let caa: CoverArtArchiveEmulator;
let lb: ListenBrainzEmulator;
beforeAll(async () => {
  caa = await startCoverArtArchiveEmulator();
  lb = await startListenBrainzEmulator({ users: [{ name: 'mira', years: 0.05, perDay: 20, seed: 31 }] });
});
afterAll(async () => {
  await caa?.close();
  await lb?.close();
});
const h = useEncoreHarness(() => ({
  spotify: { now: () => now },
  clock: () => now + (Date.now() - setAt),
  jobTicks: manualTicks().source,
  config: {
    COVER_CACHE_DIR: coverDir,
    COVER_ART_ARCHIVE_URL: caa.url,
    LISTENBRAINZ_ENABLED: true,
    LISTENBRAINZ_API_URL: lb.url,
  },
}));
let alice: ReturnType<typeof h.member>;

/** Album ids by plays in (from, to], most first: the emulator's truth of what alice played. */
function albumsPlayed(from: number, to: number): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const p of h.spotify.listening.playsBetween('alice', from, to)) {
    const albumId = h.spotify.world.tracks.get(p.trackId)!.albumId;
    counts.set(albumId, (counts.get(albumId) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

async function pixel(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const d = ctx.getImageData(x, y, 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}
const hex = (colour: string) => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));

const END = T0 + DAY + 2 * HOUR;
let noImage: string;
let broken: string;

beforeAll(async () => {
  alice = h.member('grid-alice');
  expect((await h.link(alice, 'alice')).status).toBe(200);
  // Two of alice's most played albums lose their covers: one listed with no images at all, one
  // whose image URL answers 404. Both are well inside her top 25.
  const top = albumsPlayed(T0, END);
  expect(top.length).toBeGreaterThanOrEqual(25);
  noImage = top[1]![0];
  broken = top[4]![0];
  h.spotify.covers.withoutImage.add(noImage);
  h.spotify.covers.broken.add(broken);
  // A day of alice's listening, collected as the bot does: recently-played every 20 minutes.
  for (let at = T0 + 20 * MIN; at <= END; at += 20 * MIN) {
    moveTo(at);
    await h.encore.jobs.runNow('collect-history', new Date(at));
  }
}, 240_000);

afterAll(() => rmSync(coverDir, { recursive: true, force: true }));

describe('/chart cover grids', () => {
  it('stores the cover URL Spotify gives with each album it collects', async () => {
    const { rows } = await h.encore.store.pool.query<{ id: string; image_url: string | null }>(
      `SELECT id, image_url FROM albums WHERE id = ANY($1::text[])`,
      [[noImage, broken, albumsPlayed(T0, END)[0]![0]]],
    );
    const url = new Map(rows.map((r) => [r.id, r.image_url]));
    expect(url.get(noImage)).toBeNull();
    expect(url.get(broken)).toBe(`${h.spotify.accountsUrl}/image/${broken}/300`);
    expect(url.get(albumsPlayed(T0, END)[0]![0])).toMatch(/\/image\/\w+\/300$/);
  });

  it('posts a 5×5 albums grid: real covers, tidy placeholders for the two missing, alt text saying what it is', async () => {
    const seen = await h.invoke('/chart', { kind: 'albums-grid', size: '5x5', period: 'week', public: true }, alice);
    expect(seen.ephemeral).toBe(false);
    const file = seen.final!.files[0]!;
    expect(file.filename).toBe('albums-grid.png');
    expect(JSON.stringify(seen.final!.embeds)).toContain('attachment://albums-grid.png');
    expect(JSON.stringify(seen.final!.embeds)).toContain('Your top albums');
    const alt = file.description ?? '';
    expect(alt).toMatch(/^5×5 cover-art grid of your top albums, past 7 days: 1\. .+ \(\d+ plays?\); 2\. /);
    expect(alt.length).toBeLessThanOrEqual(1024);

    // Tiles in play order: the alt text's list, which the store's counts agree with.
    const titles = [...alt.matchAll(/(?:: |; )(\d+)\. (.+?)(?: by .+?)? \((\d+) plays?\)/g)].map((m) => m[2]!);
    expect(titles).toHaveLength(25);
    const nameOf = (id: string) => h.spotify.world.albums.get(id)!.name;
    const image = await loadImage(file.bytes);
    expect(image.width).toBe(GRID_WIDTH);
    const missing = [nameOf(noImage), nameOf(broken)];
    for (const name of missing) {
      const box = tileBox(5, titles.indexOf(name));
      expect(titles.indexOf(name)).toBeGreaterThanOrEqual(0);
      // The placeholder's own colour at its top-left, not a broken or blank tile.
      const seenColour = await pixel(file.bytes, box.x + 12, box.y + 12);
      const expected = hex(placeholderColour(name));
      for (let c = 0; c < 3; c++) expect(Math.abs(seenColour[c]! - expected[c]!)).toBeLessThan(30);
    }
    // Every cover with a URL that works was fetched from the emulator's image CDN; the two missing were not drawn.
    const fetched = new Set(h.spotify.covers.requests.map((r) => r.albumId));
    expect(fetched.has(noImage)).toBe(false);
    expect(fetched.has(broken)).toBe(true);
    expect(fetched.size).toBe(24);
  });

  it('fetches no cover twice: the next grid comes from the cache on disk', async () => {
    const before = h.spotify.covers.requests.length;
    const again = await h.invoke('/chart', { kind: 'albums-grid', size: '5x5', period: 'week' }, alice);
    expect(again.final!.files[0]!.bytes.length).toBeGreaterThan(10_000);
    expect(h.spotify.covers.requests.length).toBe(before);
    expect(readdirSync(coverDir).length).toBeGreaterThanOrEqual(24);
  });

  it('posts an artists grid, each artist on the cover of their most played album', async () => {
    const seen = await h.invoke('/chart', { kind: 'artists-grid', size: '3x3', period: 'week' }, alice);
    const file = seen.final!.files[0]!;
    expect(file.filename).toBe('artists-grid.png');
    expect(file.description).toMatch(
      /^3×3 cover-art grid of your top artists, past 7 days: 1\. .+ \(\d+ plays?\); 2\. /,
    );
    const image = await loadImage(file.bytes);
    expect(image.width).toBe(GRID_WIDTH);
  });

  it('says so when the period holds no plays', async () => {
    const bob = h.member('grid-bob');
    expect((await h.link(bob, 'bob')).status).toBe(200);
    const seen = await h.invoke('/chart', { kind: 'albums-grid', period: 'week' }, bob);
    expect(seen.final!.files[0]!.description).toMatch(/^Your top albums: no listening history/);
  });

  it('finds covers in the Cover Art Archive for what ListenBrainz names by release MBID', async () => {
    const mira = h.member('grid-mira');
    const prompt = await h.invoke('/link', { source: 'listenbrainz' }, mira);
    await h.click(prompt.final!, buttons(prompt.final!).find((b) => b.custom_id === 'link:lb-token')!.custom_id!, mira);
    await h.submitModal({ token: lb.user('mira').token }, mira);
    for (let i = 0; i < 20; i++) await h.encore.jobs.runNow('sync-sources');
    const { rows } = await h.encore.store.pool.query<{ mbid: string }>(
      `SELECT DISTINCT al.mbid FROM plays p JOIN tracks t ON t.id = p.track_id JOIN albums al ON al.id = t.album_id
       WHERE p.member_id = $1 AND al.mbid IS NOT NULL AND al.image_url IS NULL`,
      [mira.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    const seen = await h.invoke('/chart', { kind: 'albums-grid', size: '4x4', period: 'all' }, mira);
    expect(seen.final!.files[0]!.description).toMatch(/^4×4 cover-art grid of your top albums, all time: 1\. /);
    const asked = caa.requests.filter((r) => r.startsWith('/release/')).map((r) => r.split('/')[2]);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((mbid) => rows.some((r) => r.mbid === mbid))).toBe(true);
  });
});
