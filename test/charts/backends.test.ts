import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createChartRenderer,
  detectChartBackend,
  genreMixChart,
  isEmptyChart,
  leaderboardChart,
  listeningClockChart,
  renderEmptyChart,
  sortPreviewChart,
  topArtistsChart,
  topGenresChart,
  topTracksChart,
  type ChartResult,
} from '../../src/charts/index.js';
import type { RenderJob } from '../../src/charts/renderCore.js';
import { startEncoreHarness } from '../support/encoreHarness.js';
import { artists, clockCells, genreShares, members, mixPoints, sortGroups, tracks } from './factories.js';

/**
 * `canvas` (Cairo) where it loads, `@napi-rs/canvas` (Skia) where it does not: a member must not
 * be able to tell which one drew their chart.
 *
 * Tolerance. Both paths place every mark at the same coordinates (vega measures text with the
 * canvas that draws it, and both use the same DejaVu Sans files); they differ in anti-aliasing and
 * in glyph advances by a fraction of a pixel, which moves some right-aligned labels by 1–2 px.
 * Measured on every kind at 1200×720 (canvas 3.2.3 vs @napi-rs/canvas 1.1.1):
 *   mean channel difference 0.34–2.06, pixels off by more than 32 in some channel 0.5–2.3 %,
 *   largest channel difference once both are shrunk to 200×120 (a sixth) 34–58.
 * Allowed: mean ≤ 3, ≤ 4 % of pixels off by more than 32, and ≤ 80 at a sixth of the size.
 * The last bound is what tells charts apart: the controls below (one genre label renamed, one bar
 * 5 % shorter) measure 109 and 196 there, so a chart that reads differently does not pass.
 */
const TOLERANCE = { meanChannel: 3, shareOver32: 0.04, maxAtSixth: 80 };

const cairo = detectChartBackend().name === 'canvas';
const notHere = `canvas (Cairo) did not load on this machine, so there is nothing to compare @napi-rs/canvas with (${detectChartBackend().reason ?? ''})`;

const skia = createChartRenderer({ workers: 1, backend: '@napi-rs/canvas' });
const native = cairo ? createChartRenderer({ workers: 1, backend: 'canvas' }) : undefined;
afterAll(() => Promise.all([skia.close(), native?.close()]));

const job = (result: ChartResult): RenderJob => {
  if (isEmptyChart(result)) throw new Error(`expected data for a chart: ${result.message}`);
  return result;
};

async function pixels(png: Buffer, scale = 1) {
  const image = await loadImage(png);
  const width = Math.round(image.width / scale);
  const height = Math.round(image.height / scale);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return { width: image.width, height: image.height, data: ctx.getImageData(0, 0, width, height).data };
}

/** How far apart two PNGs are, in the terms of TOLERANCE. */
async function difference(a: Buffer, b: Buffer) {
  const [full, other] = await Promise.all([pixels(a), pixels(b)]);
  expect([other.width, other.height]).toEqual([full.width, full.height]);
  let sum = 0;
  let over32 = 0;
  for (let i = 0; i < full.data.length; i += 4) {
    let worst = 0;
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(full.data[i + k]! - other.data[i + k]!);
      sum += d;
      worst = Math.max(worst, d);
    }
    if (worst > 32) over32++;
  }
  const maxAt = async (scale: number) => {
    const [qa, qb] = await Promise.all([pixels(a, scale), pixels(b, scale)]);
    let max = 0;
    for (let i = 0; i < qa.data.length; i++) if (i % 4 !== 3) max = Math.max(max, Math.abs(qa.data[i]! - qb.data[i]!));
    return max;
  };
  const n = full.data.length / 4;
  return { meanChannel: sum / n / 3, shareOver32: over32 / n, maxAtSixth: await maxAt(6) };
}

const within = (d: Awaited<ReturnType<typeof difference>>) =>
  d.meanChannel <= TOLERANCE.meanChannel &&
  d.shareOver32 <= TOLERANCE.shareOver32 &&
  d.maxAtSixth <= TOLERANCE.maxAtSixth;

const everyKind: Array<[string, ChartResult]> = [
  ['top genres', topGenresChart(genreShares(), { title: 'Your top genres', subtitle: 'Last 4 weeks' })],
  ['top artists', topArtistsChart(artists(), { title: 'Your top artists' })],
  ['top tracks', topTracksChart(tracks(), { title: 'Your top tracks' })],
  ['leaderboard', leaderboardChart(members(), { title: 'Minutes this week' })],
  ['sort preview', sortPreviewChart(sortGroups(), { title: 'Split preview' })],
  ['listening clock', listeningClockChart(clockCells(), { title: 'Your listening clock' })],
  ['genre mix', genreMixChart(mixPoints(), { title: 'Your genre mix' })],
];

describe('@napi-rs/canvas, the renderer for machines where canvas does not install', () => {
  it.each(everyKind)("renders %s as a 1200×720 PNG on Discord's dark background", async (_name, result) => {
    const image = await pixels(await skia.render(job(result)));
    expect([image.width, image.height]).toEqual([1200, 720]);
    expect(Array.from(image.data.slice(0, 3))).toEqual([0x2b, 0x2d, 0x31]);
  });

  it('draws the "not enough data yet" card too', async () => {
    const image = await pixels(
      await renderEmptyChart('Your listening clock', 'Not enough listening history yet.', '@napi-rs/canvas'),
    );
    expect([image.width, image.height]).toEqual([1200, 720]);
  });
});

describe('canvas and @napi-rs/canvas draw the same charts', () => {
  it.for(everyKind)('%s: the two PNGs are within the tolerance', async ([, result], context) => {
    if (!native) return context.skip(notHere);
    const d = await difference(await native.render(job(result)), await skia.render(job(result)));
    expect(d.meanChannel).toBeLessThanOrEqual(TOLERANCE.meanChannel);
    expect(d.shareOver32).toBeLessThanOrEqual(TOLERANCE.shareOver32);
    expect(d.maxAtSixth).toBeLessThanOrEqual(TOLERANCE.maxAtSixth);
  });

  it('the "not enough data yet" card: within the tolerance', async (context) => {
    if (!cairo) return context.skip(notHere);
    const [title, message] = ['Your listening clock', 'Not enough listening history yet.'];
    expect(
      within(
        await difference(
          await renderEmptyChart(title, message, 'canvas'),
          await renderEmptyChart(title, message, '@napi-rs/canvas'),
        ),
      ),
    ).toBe(true);
  });

  // Controls: the smallest changes a member could notice, drawn by canvas and by @napi-rs/canvas.
  const controls: Array<[string, (shares: ReturnType<typeof genreShares>) => ReturnType<typeof genreShares>]> = [
    ['one genre renamed', (shares) => shares.map((s, i) => (i === 2 ? { ...s, genre: 'Genre X' } : s))],
    ['one bar 5 % shorter', (shares) => shares.map((s, i) => (i === 2 ? { ...s, share: s.share * 0.95 } : s))],
  ];
  it.for(controls)('the tolerance still tells charts apart: %s falls outside it', async ([, change], context) => {
    if (!native) return context.skip(notHere);
    const a = await native.render(job(topGenresChart(genreShares(), { title: 'Your top genres' })));
    const b = await skia.render(job(topGenresChart(change(genreShares()), { title: 'Your top genres' })));
    const d = await difference(a, b);
    expect(within(d)).toBe(false);
  });
});

describe('which renderer is in use', () => {
  it('is `canvas` where it loads, and /healthz says so', async () => {
    const choice = detectChartBackend();
    const renderer = createChartRenderer({ workers: 1 });
    expect(renderer.backend).toBe(choice.name);
    await renderer.close();
    const h = await startEncoreHarness();
    try {
      const health = (await (await fetch(`${h.config.PUBLIC_URL}/healthz`)).json()) as {
        charts?: { renderer?: string };
      };
      expect(health.charts?.renderer).toBe(choice.name);
    } finally {
      await h.close();
    }
  });
});
