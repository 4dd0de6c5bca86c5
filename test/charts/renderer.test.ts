import { createHash } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createChartRenderer,
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
import { artists, clockCells, genreShares, members, mixPoints, sortGroups, tracks } from './factories.js';

const renderer = createChartRenderer({ workers: 2 });
afterAll(() => renderer.close());

const request = (result: ChartResult) => {
  if (isEmptyChart(result)) throw new Error(`expected data for a chart: ${result.message}`);
  return result;
};

async function decode(png: Buffer) {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const pixel = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
  return { width: image.width, height: image.height, pixel };
}

const everyKind: Array<[string, ChartResult]> = [
  ['top genres', topGenresChart(genreShares(), { title: 'Your top genres' })],
  ['top artists', topArtistsChart(artists(), { title: 'Your top artists' })],
  ['top tracks', topTracksChart(tracks(), { title: 'Your top tracks' })],
  ['leaderboard', leaderboardChart(members(), { title: 'Minutes this week' })],
  ['sort preview', sortPreviewChart(sortGroups(), { title: 'Split preview' })],
  ['listening clock', listeningClockChart(clockCells(), { title: 'Your listening clock' })],
  ['genre mix', genreMixChart(mixPoints(), { title: 'Your genre mix' })],
];

describe('the chart renderer', () => {
  it.each(everyKind)("renders %s as a 1200×720 PNG on Discord's dark background", async (_name, result) => {
    const image = await decode(await renderer.render(request(result)));
    expect([image.width, image.height]).toEqual([1200, 720]);
    expect(image.pixel(2, 2)).toEqual([0x2b, 0x2d, 0x31]);
  });

  it('renders 20 charts requested at once, each with its own data', async () => {
    const jobs = Array.from({ length: 20 }, (_, i) =>
      request(
        leaderboardChart(
          members(2 + (i % 9)).map((m) => ({ ...m, name: `${m.name}-${i}` })),
          { title: `Chart ${i}` },
        ),
      ),
    );
    const pngs = await Promise.all(jobs.map((job) => renderer.render(job)));
    for (const png of pngs) expect((await decode(png)).width).toBe(1200);
    const hashes = new Set(pngs.map((png) => createHash('sha256').update(png).digest('hex')));
    expect(hashes.size).toBe(20);
  });

  it('gives the same picture for the same data, whichever worker draws it', async () => {
    const job = request(topGenresChart(genreShares(5), { title: 'Same' }));
    const [a, b, c] = await Promise.all([renderer.render(job), renderer.render(job), renderer.render(job)]);
    expect(a.equals(b) && b.equals(c)).toBe(true);
  });

  it('draws bars in rank order even when a warm view drew the same labels in another order before', async () => {
    const shares = (order: string[]) => order.map((genre, i) => ({ genre, share: 0.5 - i * 0.1 }));
    const first = request(topGenresChart(shares(['Rock', 'Jazz', 'Pop', 'Metal']), { title: 'Order' }));
    const second = request(topGenresChart(shares(['Metal', 'Pop', 'Jazz', 'Rock']), { title: 'Order' }));
    const warm = createChartRenderer({ workers: 1 });
    const fresh = createChartRenderer({ workers: 1 });
    try {
      await warm.render(first);
      const [afterOther, alone] = await Promise.all([warm.render(second), fresh.render(second)]);
      expect(afterOther.equals(alone)).toBe(true);
    } finally {
      await Promise.all([warm.close(), fresh.close()]);
    }
  });

  it('rejects after it is closed instead of hanging', async () => {
    const closing = createChartRenderer({ workers: 1 });
    await closing.close();
    await expect(closing.render(request(topGenresChart(genreShares(3), { title: 'x' })))).rejects.toThrow('closed');
  });
});

describe('the "not enough data yet" image', () => {
  it("has a chart's size and background", async () => {
    const image = await decode(await renderEmptyChart('Your listening clock', 'Not enough listening history yet.'));
    expect([image.width, image.height]).toEqual([1200, 720]);
    expect(image.pixel(2, 2)).toEqual([0x2b, 0x2d, 0x31]);
  });
});
