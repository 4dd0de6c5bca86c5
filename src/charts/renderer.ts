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
  /** How many chart workers are running now: they start with a chart and exit after idleMs without one. */
  workers(): number;
  /** Compiles every kind in every worker, so the first real chart is already warm. */
  warm(): Promise<void>;
  /**
   * Refuses new renders, lets every render already asked for (warm()'s too) finish, and has each
   * worker exit by itself. Resolves when they have, or after CLOSE_WAIT_MS with the stragglers
   * still finishing on their own (unreferenced, so they keep nothing alive).
   */
  close(): Promise<void>;
}

/**
 * What one chart worker costs, measured (issue 24 item 7, Node 20): about 110 MB of RSS once vega
 * and a canvas are loaded and every kind compiled, 20 MB more without a young-generation cap. On a
 * 512 MB machine shared with the embedded Postgres that allows one.
 */
const MB_PER_WORKER = 128;
/** A worker with no render for this long exits; the next chart starts one again (about a second). */
export const CHART_WORKER_IDLE_MS = 10 * 60_000;
/**
 * V8 limits of a chart worker. The young generation is what a render allocates and drops; 8 MB
 * instead of V8's default (up to 48 MB) measured 12-20 MB less RSS per warm worker, and 120 renders
 * took no longer. The old generation holds vega and the compiled views (under 40 MB): the cap only
 * stops a runaway chart, which then fails alone instead of the whole process.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 192 };

/**
 * How many chart workers fit this machine: one per core left over after the main thread, and no
 * more than half its memory allows at MB_PER_WORKER each, between 1 and 2.
 */
export function defaultChartWorkers(cores = os.availableParallelism(), memoryBytes = machineMemory()): number {
  const byCores = cores - 1;
  const byMemory = Math.floor(memoryBytes / 2 / (MB_PER_WORKER * 2 ** 20)) - 1;
  return Math.max(1, Math.min(2, byCores, byMemory));
}

/** The machine's memory, or the container's limit when that is lower (Docker's --memory, a cgroup). */
function machineMemory(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  return limit > 0 ? Math.min(os.totalmem(), limit) : os.totalmem();
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
  idleTimer?: NodeJS.Timeout;
}

/**
 * Renders charts in worker threads. Vega's dataflow and canvas drawing are synchronous CPU work;
 * on the main thread twenty charts at once would stall gateway heartbeats and interaction
 * deadlines, so the main thread only posts data and receives PNG bytes.
 *
 * Workers start with the first chart that needs one and exit after `idleMs` without a render: a
 * warm worker is about a quarter of a small machine's memory, and a bot at rest draws nothing.
 *
 * A chart worker is never terminated while it may be inside the canvas package: node-canvas
 * aborts the whole process (FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw, from
 * Canvas::Canvas, Context2d::MeasureText or a PNG encode completing) when its worker is stopped
 * under it. So close() and the idle stop ask a worker to exit once its renders are done instead of
 * calling worker.terminate(), and because Node terminates every worker when the process exits
 * (process.exit, or the event loop running dry), an exit hook first waits, through a shared gate,
 * until no worker is drawing and none will start (workerGate.ts).
 */
export function createChartRenderer(
  options: { workers?: number; idleMs?: number; backend?: ChartBackendName } = {},
): ChartRenderer {
  // Also keeps canvas's native module loaded on this thread: were the workers its only users, Node
  // would unload it when the last one exits, and Pango's per-thread clean-up at thread exit would
  // then call into unloaded code (SIGSEGV, measured by terminating idle chart workers).
  const detected = detectChartBackend();
  const backend = options.backend ?? detected.name;
  const size = Math.max(1, options.workers ?? defaultChartWorkers());
  const idleMs = options.idleMs ?? CHART_WORKER_IDLE_MS;
  const workerUrl = new URL('./renderWorker.bootstrap.mjs', import.meta.url);
  let nextId = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** The workers taking renders, by position; empty until a render needs one. */
  const slots: Array<Slot | undefined> = Array.from({ length: size }, () => undefined);
  /** Every worker not yet exited, those asked to exit included: the exit hook waits for all of them. */
  const live = new Set<Slot>();

  // Runs synchronously as the process exits, before Node terminates the workers: every worker
  // is told to start nothing more, and the exit waits (bounded) for the render under way.
  const holdExitUntilNoWorkerDraws = () => {
    holdGateShut(
      [...live].map((slot) => slot.gate),
      EXIT_WAIT_MS,
    );
  };

  /** Asks a worker to exit after what it was asked before; it leaves its position at once. */
  const retire = (slot: Slot) => {
    clearTimeout(slot.idleTimer);
    const index = slots.indexOf(slot);
    if (index >= 0) slots[index] = undefined;
    if (slot.exited) return;
    slot.worker.ref();
    slot.worker.postMessage({ close: true } satisfies WorkerRequest);
  };

  const spawn = (index: number): Slot => {
    const gate = createWorkerGate();
    const worker = new Worker(workerUrl, { workerData: { backend, gate }, resourceLimits: WORKER_LIMITS });
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
      if (slot.pending.size === 0 && !closing) {
        worker.unref();
        if (slots.includes(slot)) {
          slot.idleTimer = setTimeout(() => slot.pending.size === 0 && retire(slot), idleMs);
          slot.idleTimer.unref();
        }
      }
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
      clearTimeout(slot.idleTimer);
      markGone();
      rejectPending(new Error(code === 0 ? 'chart renderer is closed' : `chart worker exited with ${code}`));
      // A crashed worker leaves its position; the next render there starts another.
      const at = slots.indexOf(slot);
      if (at >= 0) slots[at] = undefined;
      live.delete(slot);
      if (live.size === 0) process.off('exit', holdExitUntilNoWorkerDraws);
    });
    // Idle workers must not keep the process alive; busy ones must, or awaits would be dropped.
    worker.unref();
    if (live.size === 0) process.on('exit', holdExitUntilNoWorkerDraws);
    live.add(slot);
    slots[index] = slot;
    return slot;
  };

  /** An idle worker if there is one, else a new one in a free position, else the least busy. */
  const pick = (): Slot => {
    const running = slots.filter((slot): slot is Slot => slot !== undefined);
    const idle = running.find((slot) => slot.pending.size === 0);
    if (idle) return idle;
    const free = slots.indexOf(undefined);
    if (free >= 0) return spawn(free);
    return running.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  };

  const post = (slot: Slot, job: RenderJob) =>
    new Promise<Buffer>((resolve, reject) => {
      if (closed) return reject(new Error('chart renderer is closed'));
      const id = nextId++;
      clearTimeout(slot.idleTimer);
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, job } satisfies WorkerRequest);
    });

  return {
    backend,
    ...(backend === detected.name && detected.reason ? { backendReason: detected.reason } : {}),
    workers: () => live.size,
    render(job) {
      if (closed) return Promise.reject(new Error('chart renderer is closed'));
      return post(pick(), job);
    },
    async warm() {
      if (closed) throw new Error('chart renderer is closed');
      const sample = { rows: [], title: '' };
      const all = slots.map((slot, index) => slot ?? spawn(index));
      await Promise.all(all.flatMap((slot) => CHART_KINDS.map((kind) => post(slot, { kind, ...sample }))));
    },
    close() {
      closing ??= (async () => {
        closed = true;
        const open = [...live];
        // Messages arrive in order: each worker draws everything asked of it before this, then exits.
        for (const slot of slots) if (slot) retire(slot);
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
