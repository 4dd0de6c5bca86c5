import type { RenderJob } from './renderCore.js';

/**
 * The gate between a chart worker and the thread that owns it, in shared memory so it works while
 * that thread is blocked in its process 'exit' hook (no messages are read any more by then).
 *
 * Why: Node terminates every worker thread when the process exits, and node-canvas aborts the
 * whole process when its worker is terminated while canvas code runs in it. The worker holds the
 * gate DRAWING from its start (loading vega makes a canvas, and fonts are registered) and for
 * each render; the exiting thread asks for the gate shut, waits until it is IDLE and shuts it, so
 * the worker is idle, and stays idle, when Node terminates it.
 */
export const GATE = { STATE: 0, EXIT_REQUESTED: 1 } as const;
export const IDLE = 0;
export const DRAWING = 1;
/** Shut: the worker starts nothing more (also set by a worker that exits or failed to start). */
export const STOPPED = 2;

export type WorkerRequest = { id: number; job: RenderJob } | { close: true };
export type WorkerResponse = { id: number; png?: ArrayBuffer; error?: string };

/** A gate for a worker about to start: DRAWING until it has loaded. */
export function createWorkerGate(): Int32Array {
  const gate = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  Atomics.store(gate, GATE.STATE, DRAWING);
  return gate;
}

/** In the worker, before drawing: false when the process is exiting (draw nothing then). */
export function enterGate(gate: Int32Array): boolean {
  if (Atomics.load(gate, GATE.EXIT_REQUESTED) === 1) return false;
  return Atomics.compareExchange(gate, GATE.STATE, IDLE, DRAWING) === IDLE;
}

/** In the worker, after drawing (or loading). */
export function leaveGate(gate: Int32Array): void {
  Atomics.compareExchange(gate, GATE.STATE, DRAWING, IDLE);
  Atomics.notify(gate, GATE.STATE);
}

/** In the worker, for good: it is about to exit. */
export function shutGate(gate: Int32Array): void {
  Atomics.store(gate, GATE.STATE, STOPPED);
  Atomics.notify(gate, GATE.STATE);
}

/**
 * In the owning thread as the process exits: stops every worker from starting anything and waits,
 * at most `waitMs` in all, for the ones drawing to finish. Synchronous on purpose: an 'exit' hook
 * cannot await. Returns whether every gate is shut.
 */
export function holdGateShut(gates: readonly Int32Array[], waitMs: number): boolean {
  const deadline = performance.now() + waitMs;
  for (const gate of gates) Atomics.store(gate, GATE.EXIT_REQUESTED, 1);
  let allShut = true;
  for (const gate of gates) {
    for (;;) {
      const was = Atomics.compareExchange(gate, GATE.STATE, IDLE, STOPPED);
      if (was === IDLE || was === STOPPED) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        allShut = false;
        break;
      }
      Atomics.wait(gate, GATE.STATE, DRAWING, left);
    }
  }
  return allShut;
}
