import { loadImage, createCanvas } from '@napi-rs/canvas';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverArtPng } from '../../emulators/coverart/art.js';
import { startCoverArtArchiveEmulator, type CoverArtArchiveEmulator } from '../../emulators/coverart/server.js';
import type { CoverGrid } from '../../src/app/charts/coverGrid.js';
import { detectChartBackend, type ChartBackendName } from '../../src/charts/backend.js';
import { coverUrl, createCoverCache } from '../../src/charts/covers/coverCache.js';
import { GRID_WIDTH, drawCoverGrid, initials } from '../../src/charts/grid/coverGridImage.js';
import { waitUntil } from '../support/waitUntil.js';

const DAY = 86_400_000;
const mbid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let caa: CoverArtArchiveEmulator;
const dirs: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-covers-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  caa = await startCoverArtArchiveEmulator();
});
afterAll(async () => {
  await caa.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('cover cache', () => {
  it('fetches each cover once: a second render fetches nothing, a missing cover is not asked for again', async () => {
    const dir = await freshDir();
    let now = 1_000 * DAY;
    const cache = createCoverCache({ dir, coverArtArchiveUrl: caa.url, now: () => now });
    caa.missing.add(mbid(3));
    const sources = [
      { mbid: mbid(1) },
      { mbid: mbid(2) },
      { mbid: mbid(3) },
      { url: `${caa.url}/release/${mbid(1)}/front-250` },
    ];
    const first = await cache.covers(sources);
    expect(first.map((b) => b?.subarray(1, 4).toString())).toEqual(['PNG', 'PNG', undefined, 'PNG']);
    // The same picture whichever way it was asked for; the archive's own bytes.
    expect(first[0]!.equals(coverArtPng(mbid(1), 250))).toBe(true);
    const fetched = cache.fetches;
    const requests = caa.requests.length;
    // Asked for twice in one render (by MBID and by the same URL): fetched once.
    expect(fetched).toBe(3);

    now += DAY / 2;
    const second = await cache.covers(sources);
    expect(cache.fetches).toBe(fetched);
    expect(caa.requests.length).toBe(requests);
    expect(second.map((b) => !!b)).toEqual([true, true, false, true]);

    // A restarted process finds them on disk.
    const restarted = createCoverCache({ dir, coverArtArchiveUrl: caa.url, now: () => now });
    expect((await restarted.covers(sources)).map((b) => !!b)).toEqual([true, true, false, true]);
    expect(restarted.fetches).toBe(0);
  });

  it('fetches a cover again once it expires, and a missing one once its shorter wait is over', async () => {
    const dir = await freshDir();
    let now = 2_000 * DAY;
    const cache = createCoverCache({
      dir,
      coverArtArchiveUrl: caa.url,
      now: () => now,
      maxAgeMs: 30 * DAY,
      missAgeMs: DAY,
    });
    caa.missing.add(mbid(13));
    await cache.covers([{ mbid: mbid(11) }, { mbid: mbid(13) }]);
    expect(cache.fetches).toBe(2);
    now += 2 * DAY;
    // The miss is asked for again (and now the archive has it); the cover is still fresh.
    caa.missing.delete(mbid(13));
    const later = await cache.covers([{ mbid: mbid(11) }, { mbid: mbid(13) }]);
    expect(cache.fetches).toBe(3);
    expect(later.every((b) => b)).toBe(true);
    now += 29 * DAY;
    await cache.covers([{ mbid: mbid(11) }]);
    expect(cache.fetches).toBe(4);
  });

  it('keeps to its byte cap by evicting the least recently used cover', async () => {
    const dir = await freshDir();
    let now = 3_000 * DAY;
    const [a, b, c] = [21, 22, 23].map((n) => coverArtPng(mbid(n), 250).length) as [number, number, number];
    // Room for any two of them, never three.
    const cap = Math.max(a + b, a + c);
    const cache = createCoverCache({ dir, coverArtArchiveUrl: caa.url, now: () => now, maxBytes: cap });
    await cache.covers([{ mbid: mbid(21) }]);
    now += 1_000;
    await cache.covers([{ mbid: mbid(22) }]);
    now += 1_000;
    await cache.covers([{ mbid: mbid(21) }]); // used again: 22 is now the least recently used
    now += 1_000;
    await cache.covers([{ mbid: mbid(23) }]);
    expect(cache.fetches).toBe(3);
    const files = await readdir(dir);
    const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size));
    expect(files).toHaveLength(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(cap);
    await cache.covers([{ mbid: mbid(21) }, { mbid: mbid(23) }]);
    expect(cache.fetches).toBe(3);
    await cache.covers([{ mbid: mbid(22) }]);
    expect(cache.fetches).toBe(4);
  });

  it('has at most `concurrency` fetches in flight, however many covers a grid needs', async () => {
    const cache = createCoverCache({ dir: await freshDir(), coverArtArchiveUrl: caa.url, concurrency: 2 });
    const ids = [31, 32, 33, 34, 35].map(mbid);
    for (const id of ids) caa.held.add(id);
    caa.inFlight.max = caa.inFlight.now;
    const asked = () => caa.requests.filter((r) => ids.some((id) => r.includes(id))).length;
    const pending = cache.covers(ids.map((id) => ({ mbid: id })));
    await waitUntil(() => asked() === 2, 'two fetches started');
    caa.release(ids[0]!);
    await waitUntil(() => asked() === 4, 'the next one started when the first was answered'); // its redirect, then the next
    for (const id of ids) caa.release(id);
    expect((await pending).every((b) => b)).toBe(true);
    // Each slot holds one cover's redirect and image in turn: never more than two requests at once.
    expect(caa.inFlight.max).toBeLessThanOrEqual(2);
  });

  it('asks only for http(s) URLs, else the archive by MBID, else nothing', async () => {
    const base = 'https://caa.example';
    expect(coverUrl({ url: 'https://i.scdn.co/image/ab67' }, base)).toBe('https://i.scdn.co/image/ab67');
    expect(coverUrl({ url: 'file:///etc/passwd', mbid: mbid(5) }, base)).toBe(`${base}/release/${mbid(5)}/front-250`);
    expect(coverUrl({ url: 'data:image/png;base64,AAAA' }, base)).toBeUndefined();
    expect(coverUrl({ mbid: '../../admin' }, base)).toBeUndefined();
    const cache = createCoverCache({ dir: await freshDir(), coverArtArchiveUrl: caa.url });
    const got = await cache.covers([{ url: 'file:///etc/passwd' }, { url: 'ftp://example.org/x.png' }, {}]);
    expect(got).toEqual([undefined, undefined, undefined]);
    expect(cache.fetches).toBe(0);
  });

  it('takes only images: a page that is not one counts as a missing cover', async () => {
    const cache = createCoverCache({ dir: await freshDir(), coverArtArchiveUrl: caa.url });
    // The emulator's 404 page is text; a wrong path too.
    expect(await cache.covers([{ url: `${caa.url}/not-a-cover` }])).toEqual([undefined]);
  });
});

/** The RGB at (x, y) of a PNG. */
async function pixel(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const d = ctx.getImageData(x, y, 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

const names = [
  'Blackstar',
  'In Rainbows',
  'Currents',
  'Kid A',
  'Melodrama',
  'Blonde',
  'Lemonade',
  'Discovery',
  'Dummy',
];
const grid: CoverGrid = {
  kind: 'albums-grid',
  side: 3,
  title: 'Your top albums',
  subtitle: 'Past 30 days · 120 plays',
  tiles: names.map((title, i) => ({ title, artist: `Artist ${i}`, plays: 30 - i, cover: {} })),
  altText: '',
};

describe('cover grid image', () => {
  const backends: ChartBackendName[] =
    detectChartBackend().name === 'canvas' ? ['canvas', '@napi-rs/canvas'] : ['@napi-rs/canvas'];

  it.each(backends)('draws covers and, where one is missing, a placeholder tile (%s)', async (backend) => {
    const covers = names.map((_, i) => (i === 4 ? undefined : coverArtPng(`album-${i}`, 300)));
    const png = await drawCoverGrid(grid, covers, backend);
    const image = await loadImage(png);
    expect(image.width).toBe(GRID_WIDTH);
    // Tile 0 (a cover): its top-left shows the cover's own top-left colour.
    const tile = Math.floor((GRID_WIDTH - 40 - 2 * 6) / 3);
    const cover = await pixel(covers[0]!, 12, 12);
    const drawn = await pixel(png, 20 + 8, 104 + 8);
    for (let c = 0; c < 3; c++) expect(Math.abs(drawn[c]! - cover[c]!)).toBeLessThan(24);
    // Tile 4 (the centre, no cover): a placeholder, opaque and not the page background.
    const centre = await pixel(png, 20 + tile + 6 + 8, 104 + tile + 6 + 8);
    expect(centre).not.toEqual([0x2b, 0x2d, 0x31]);
    expect(centre.some((v) => v > 60)).toBe(true);
  });

  it('names a placeholder by its initials', () => {
    expect(initials('Daft Punk')).toBe('DP');
    expect(initials('Blackstar')).toBe('BL');
    expect(initials("(What's the Story) Morning Glory?")).toBe('WS');
    expect(initials('…')).toBe('♪');
  });
});
