import { describe, expect, it, vi } from 'vitest';
import { createChartRenderer, isEmptyChart, topArtistsChart } from '../../src/charts/index.js';
import { defaultChartWorkers } from '../../src/charts/renderer.js';
import { artists } from './factories.js';

const MB = 2 ** 20;
const chart = topArtistsChart(artists(), { title: 'Your top artists' });
if (isEmptyChart(chart)) throw new Error('expected a chart');

describe('how many chart workers a machine gets', () => {
  it('gives a 512 MB machine one, whatever its cores, and a large one at most two', () => {
    expect(defaultChartWorkers(1, 512 * MB)).toBe(1);
    expect(defaultChartWorkers(4, 512 * MB)).toBe(1);
    expect(defaultChartWorkers(2, 16_384 * MB)).toBe(1);
    expect(defaultChartWorkers(8, 16_384 * MB)).toBe(2);
  });
});

describe('chart workers that start with a chart and stop when idle', () => {
  it('starts none before the first chart, and draws the same chart again after its worker stopped', async () => {
    const renderer = createChartRenderer({ workers: 1, idleMs: 0 });
    try {
      expect(renderer.workers()).toBe(0);
      const first = await renderer.render(chart);
      await vi.waitFor(() => expect(renderer.workers()).toBe(0), { timeout: 10_000 });
      const again = await renderer.render(chart);
      expect(again.equals(first)).toBe(true);
    } finally {
      await renderer.close();
    }
    expect(renderer.workers()).toBe(0);
  });

  it('keeps one worker through renders that follow each other within the idle time', async () => {
    const renderer = createChartRenderer({ workers: 2 });
    try {
      for (let i = 0; i < 3; i++) await renderer.render(chart);
      expect(renderer.workers()).toBe(1);
    } finally {
      await renderer.close();
    }
  });
});
