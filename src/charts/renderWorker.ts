import { parentPort, workerData } from 'node:worker_threads';
import type { ChartBackendName } from './backend.js';
import { CachedChartRenderer, type RenderJob } from './renderCore.js';

// Each worker keeps its own compiled views; the main thread only posts data and receives PNG bytes.
const renderer = new CachedChartRenderer((workerData as { backend?: ChartBackendName } | undefined)?.backend);

parentPort?.on('message', async ({ id, job }: { id: number; job: RenderJob }) => {
  try {
    const png = await renderer.render(job);
    const bytes = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
    parentPort?.postMessage({ id, png: bytes }, [bytes]);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
