import { describe, expect, it } from 'vitest';
import { createChartRenderer, isEmptyChart, topArtistsChart } from '../../src/charts/index.js';
import { artists } from './factories.js';

describe('closing the chart renderer', () => {
  it('lets the renders under way finish before the workers go, and refuses new ones', async () => {
    const renderer = createChartRenderer({ workers: 1 });
    const chart = topArtistsChart(artists(), { title: 'Your top artists' });
    if (isEmptyChart(chart)) throw new Error('expected a chart');
    // Cold worker: these are still compiling and drawing when close() is called.
    const under = [renderer.render(chart), renderer.render(chart), renderer.render(chart)];
    const closing = renderer.close();
    const pngs = await Promise.all(under);
    for (const png of pngs) expect(png.subarray(1, 4).toString()).toBe('PNG');
    await closing;
    await expect(renderer.render(chart)).rejects.toThrow('chart renderer is closed');
  });

  it('lets a warm-up under way finish, and refuses one asked for after', async () => {
    const renderer = createChartRenderer({ workers: 1 });
    const warming = renderer.warm();
    await renderer.close();
    await expect(warming).resolves.toBeUndefined();
    await expect(renderer.warm()).rejects.toThrow('chart renderer is closed');
  });
});
