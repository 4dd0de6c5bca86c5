import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCoverArtArchiveEmulator } from '../emulators/coverart/server.js';
import type { CoverGrid } from '../src/app/charts/coverGrid.js';
import { detectChartBackend, type ChartBackendName } from '../src/charts/backend.js';
import { createCoverGridImages } from '../src/charts/grid/coverGridImage.js';

/**
 * The /chart cover grid (issue 25): a 5×5 albums grid, its 25 covers from the Cover Art Archive
 * emulator (two missing: placeholders), drawn on each chart backend. Cold: covers fetched, decoded
 * and scaled; warm: covers cached (disk and memory), the figure a member waits for after the first.
 */
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WARM_RUNS = 20;

export default async function gridBench(): Promise<void> {
  const caa = await startCoverArtArchiveEmulator();
  const mbid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  caa.missing.add(mbid(7));
  caa.missing.add(mbid(18));
  const grid: CoverGrid = {
    kind: 'albums-grid',
    side: 5,
    title: 'Your top albums',
    subtitle: 'Past 30 days · 1,234 plays · 3 days 4 hr',
    tiles: Array.from({ length: 25 }, (_, i) => ({
      title: `Album number ${i + 1} with a longer title`,
      artist: `Artist ${i + 1}`,
      plays: 200 - i * 7,
      cover: { mbid: mbid(i) },
    })),
    altText: '',
  };
  const backends: ChartBackendName[] =
    detectChartBackend().name === 'canvas' ? ['canvas', '@napi-rs/canvas'] : ['@napi-rs/canvas'];
  // The figures move with the machine's load (benches share the 2 cores with other work): printed beside them.
  console.log(`load average (1 min): ${loadavg()[0]!.toFixed(1)}`);
  try {
    for (const backend of backends) {
      const dir = await mkdtemp(path.join(tmpdir(), 'encore-grid-bench-'));
      const images = createCoverGridImages({ dir, coverArtArchiveUrl: caa.url, backend });
      let started = performance.now();
      const png = await images.render(grid);
      const cold = performance.now() - started;
      const coldFetches = images.cache.fetches;
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const warm: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < WARM_RUNS; i++) {
        started = performance.now();
        await images.render(grid);
        warm.push(performance.now() - started);
      }
      delay.disable();
      const used = process.cpuUsage(cpu);
      // CPU time (all threads: the deflate runs on the pool) says what a render costs whatever the load.
      const cpuMs = (used.user + used.system) / 1000 / WARM_RUNS;
      const warmMs = median(warm);
      const fastest = Math.min(...warm);
      console.log(`${backend}:`);
      console.log(
        `  5×5 grid render cold (25 covers fetched, 2 missing):  ${cold.toFixed(1)} ms, ${coldFetches} fetches, ${(png.length / 1024).toFixed(0)} KB`,
      );
      console.log(
        `  5×5 grid render warm (covers cached), median of ${WARM_RUNS}:  ${warmMs.toFixed(1)} ms (fastest ${fastest.toFixed(1)} ms)  target ≤ 60 ms: ${verdict(warmMs <= 60)}  (fetches after the first: ${images.cache.fetches - coldFetches})`,
      );
      console.log(`  CPU per warm render:  ${cpuMs.toFixed(1)} ms`);
      console.log(`  largest event-loop delay while warm:  ${(delay.max / 1e6).toFixed(1)} ms`);
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await caa.close();
  }
}
