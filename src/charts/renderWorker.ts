import { parentPort, workerData } from 'node:worker_threads';
import type { ChartBackendName } from './backend.js';
import { CachedChartRenderer } from './renderCore.js';
import { enterGate, leaveGate, shutGate, type WorkerRequest, type WorkerResponse } from './workerGate.js';

const { backend, gate } = (workerData ?? {}) as { backend?: ChartBackendName; gate?: Int32Array };

// Each worker keeps its own compiled views; the main thread only posts data and receives PNG bytes.
const renderer = new CachedChartRenderer(backend);
// Loaded: vega has made its text-measuring canvas and the fonts are registered.
if (gate) leaveGate(gate);

const post = (response: WorkerResponse, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(response, transfer);

async function draw(id: number, job: Parameters<CachedChartRenderer['render']>[0]): Promise<void> {
  if (gate && !enterGate(gate)) return post({ id, error: 'the process is exiting' });
  try {
    const png = await renderer.render(job);
    const bytes = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
    post({ id, png: bytes }, [bytes]);
  } catch (error) {
    post({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    if (gate) leaveGate(gate);
  }
}

// One render at a time, in the order asked: the gate is then held for one render, not a queue,
// and a close request is reached only after every render asked before it.
let turn: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: WorkerRequest) => {
  turn = turn.then(() => {
    if ('job' in request) return draw(request.id, request.job);
    // Asked to close: nothing is drawing now, so exiting here cannot cut canvas code short.
    if (gate) shutGate(gate);
    process.exit(0);
  });
});
