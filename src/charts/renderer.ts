import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { detectChartBackend, type ChartBackendName } from './backend.js';
import { CHART_KINDS } from './specs.js';
import type { RenderJob } from './renderCore.js';
import { createWorkerGate, holdGateShut, type WorkerRequest, type WorkerResponse } from './workerGate.js';

export interface ChartRenderer {
  /** The canvas package drawing the charts: `canvas` where it loads, else `@napi-rs/canvas`. */
  backend: ChartBackendName;
  /** Why `canvas` is not the one, when it is not. */
  backendReason?: string;
  render(job: RenderJob): Promise<Buffer>;
  /** Compiles every kind in every worker, so the first real chart is already warm. */
  warm(): Promise<void>;
  /**
   * Refuses new renders, lets every render already asked for (warm()'s too) finish, and has each
   * worker exit by itself. Resolves when they have, or after CLOSE_WAIT_MS with the stragglers
   * still finishing on their own (unreferenced, so they keep nothing alive).
   */
  close(): Promise<void>;
}

/** How long close() waits for the workers to finish their renders and exit. */
const CLOSE_WAIT_MS = 10_000;
/** How long a process that is exiting waits for a render under way (the exit hook below). */
const EXIT_WAIT_MS = 10_000;

interface Pending {
  resolve(png: Buffer): void;
  reject(error: Error): void;
}
interface Slot {
  worker: Worker;
  gate: Int32Array;
  pending: Map<number, Pending>;
  exited: boolean;
  gone: Promise<void>;
}

/**
 * Renders charts in worker threads. Vega's dataflow and canvas drawing are synchronous CPU work;
 * on the main thread twenty charts at once would stall gateway heartbeats and interaction
 * deadlines, so the main thread only posts data and receives PNG bytes.
 *
 * A chart worker is never terminated while it may be inside the canvas package: node-canvas
 * aborts the whole process (FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw, from
 * Canvas::Canvas, Context2d::MeasureText or a PNG encode completing) when its worker is stopped
 * under it. So close() asks each worker to exit once its renders are done instead of calling
 * worker.terminate(), and because Node terminates every worker when the process exits (process.exit,
 * or the event loop running dry), an exit hook first waits, through a shared gate, until no worker
 * is drawing and none will start (workerGate.ts).
 */
export function createChartRenderer(options: { workers?: number; backend?: ChartBackendName } = {}): ChartRenderer {
  // Also keeps canvas's native module loaded on this thread: were the workers its only users, Node
  // would unload it when the last one exits, and Pango's per-thread clean-up at thread exit would
  // then call into unloaded code (SIGSEGV, measured by terminating idle chart workers).
  const detected = detectChartBackend();
  const backend = options.backend ?? detected.name;
  const size = options.workers ?? Math.max(1, Math.min(2, os.availableParallelism() - 1 || 1));
  const workerUrl = new URL('./renderWorker.bootstrap.mjs', import.meta.url);
  let nextId = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  const spawn = (): Slot => {
    const gate = createWorkerGate();
    const worker = new Worker(workerUrl, { workerData: { backend, gate } });
    let markGone!: () => void;
    const slot: Slot = {
      worker,
      gate,
      pending: new Map(),
      exited: false,
      gone: new Promise<void>((resolve) => (markGone = resolve)),
    };
    worker.on('message', (message: WorkerResponse) => {
      const waiter = slot.pending.get(message.id);
      if (!waiter) return;
      slot.pending.delete(message.id);
      if (slot.pending.size === 0 && !closing) worker.unref();
      if (message.png) waiter.resolve(Buffer.from(message.png));
      else waiter.reject(new Error(`chart rendering failed: ${message.error}`));
    });
    const rejectPending = (error: Error) => {
      for (const waiter of slot.pending.values()) waiter.reject(error);
      slot.pending.clear();
    };
    worker.on('error', rejectPending);
    worker.on('exit', (code) => {
      slot.exited = true;
      markGone();
      rejectPending(new Error(code === 0 ? 'chart renderer is closed' : `chart worker exited with ${code}`));
      const index = slots.indexOf(slot);
      if (code !== 0 && !closed && index >= 0) slots[index] = spawn(); // a crashed worker is replaced
      if (slots.every((s) => s.exited)) process.off('exit', holdExitUntilNoWorkerDraws);
    });
    // Idle workers must not keep the process alive; busy ones must, or awaits would be dropped.
    worker.unref();
    return slot;
  };

  // Runs synchronously as the process exits, before Node terminates the workers: every worker
  // is told to start nothing more, and the exit waits (bounded) for the render under way.
  const holdExitUntilNoWorkerDraws = () => {
    holdGateShut(
      slots.filter((slot) => !slot.exited).map((slot) => slot.gate),
      EXIT_WAIT_MS,
    );
  };
  process.on('exit', holdExitUntilNoWorkerDraws);
  const slots: Slot[] = Array.from({ length: size }, spawn);

  const post = (slot: Slot, job: RenderJob) =>
    new Promise<Buffer>((resolve, reject) => {
      if (closed) return reject(new Error('chart renderer is closed'));
      const id = nextId++;
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, job } satisfies WorkerRequest);
    });

  return {
    backend,
    ...(backend === detected.name && detected.reason ? { backendReason: detected.reason } : {}),
    render(job) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      return post(slot, job);
    },
    async warm() {
      const sample = { rows: [], title: '' };
      await Promise.all(slots.flatMap((slot) => CHART_KINDS.map((kind) => post(slot, { kind, ...sample }))));
    },
    close() {
      closing ??= (async () => {
        closed = true;
        const open = slots.filter((slot) => !slot.exited);
        // Messages arrive in order: each worker draws everything asked of it before this, then exits.
        for (const slot of open) {
          slot.worker.ref();
          slot.worker.postMessage({ close: true } satisfies WorkerRequest);
        }
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_WAIT_MS);
          timer.unref();
        });
        await Promise.race([Promise.all(open.map((slot) => slot.gone)), bound]);
        clearTimeout(timer);
        // A worker still drawing after that finishes and exits on its own; it must not hold the process.
        for (const slot of open) if (!slot.exited) slot.worker.unref();
      })();
      return closing;
    },
  };
}
