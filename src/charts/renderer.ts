import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { detectChartBackend, type ChartBackendName } from './backend.js';
import { CHART_KINDS } from './specs.js';
import type { RenderJob } from './renderCore.js';

export interface ChartRenderer {
  /** The canvas package drawing the charts: `canvas` where it loads, else `@napi-rs/canvas`. */
  backend: ChartBackendName;
  /** Why `canvas` is not the one, when it is not. */
  backendReason?: string;
  render(job: RenderJob): Promise<Buffer>;
  /** Compiles every kind in every worker, so the first real chart is already warm. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** How long close() lets renders under way finish before the workers are terminated. */
const CLOSE_DRAIN_MS = 10_000;

interface Pending {
  resolve(png: Buffer): void;
  reject(error: Error): void;
}
interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Renders charts in worker threads. Vega's dataflow and canvas drawing are synchronous CPU work;
 * on the main thread twenty charts at once would stall gateway heartbeats and interaction
 * deadlines, so the main thread only posts data and receives PNG bytes.
 */
export function createChartRenderer(options: { workers?: number; backend?: ChartBackendName } = {}): ChartRenderer {
  const detected = detectChartBackend();
  const backend = options.backend ?? detected.name;
  const size = options.workers ?? Math.max(1, Math.min(2, os.availableParallelism() - 1 || 1));
  const workerUrl = new URL('./renderWorker.bootstrap.mjs', import.meta.url);
  let nextId = 0;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(workerUrl, { workerData: { backend } }), pending: new Map() };
    slot.worker.on('message', (message: { id: number; png?: ArrayBuffer; error?: string }) => {
      const waiter = slot.pending.get(message.id);
      if (!waiter) return;
      slot.pending.delete(message.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (message.png) waiter.resolve(Buffer.from(message.png));
      else waiter.reject(new Error(`chart rendering failed: ${message.error}`));
    });
    const fail = (error: Error) => {
      for (const waiter of slot.pending.values()) waiter.reject(error);
      slot.pending.clear();
      const index = slots.indexOf(slot);
      if (!closed && index >= 0) slots[index] = spawn(); // a crashed worker is replaced
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => code !== 0 && fail(new Error(`chart worker exited with ${code}`)));
    // Idle workers must not keep the process alive; busy ones must, or awaits would be dropped.
    slot.worker.unref();
    return slot;
  };
  const slots: Slot[] = Array.from({ length: size }, spawn);

  const post = (slot: Slot, job: RenderJob) => {
    const rendering = new Promise<Buffer>((resolve, reject) => {
      const id = nextId++;
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, job });
    });
    const settled = rendering.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return rendering;
  };

  return {
    backend,
    ...(backend === detected.name && detected.reason ? { backendReason: detected.reason } : {}),
    render(job) {
      if (closed) return Promise.reject(new Error('chart renderer is closed'));
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      return post(slot, job);
    },
    async warm() {
      const sample = { rows: [], title: '' };
      await Promise.all(slots.flatMap((slot) => CHART_KINDS.map((kind) => post(slot, { kind, ...sample }))));
    },
    async close() {
      closed = true;
      // Renders under way finish first (bounded): node-canvas treats an exception thrown while its
      // worker is being terminated as fatal and aborts the whole process.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_DRAIN_MS);
        timer.unref();
      });
      await Promise.race([Promise.all(inFlight), bound]);
      clearTimeout(timer);
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
