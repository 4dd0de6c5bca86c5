// Worker threads don't inherit tsx's loader on Node 20: register it here, then load the
// TypeScript worker (or, for the bench, workerData.entry). With a build step this file would
// point at the compiled .js instead.
import { register as registerHooks } from 'node:module';
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  // vega loads `canvas` itself; where this worker draws with @napi-rs/canvas, vega must get that.
  if (workerData?.backend === '@napi-rs/canvas') registerHooks('./skiaAsCanvas.hooks.mjs', import.meta.url);
  await import(workerData?.entry ?? './renderWorker.ts');
} catch (error) {
  // A worker that cannot start draws nothing: shut its gate (workerGate.ts: STATE 0, STOPPED 2)
  // so an exiting process does not wait for it.
  if (workerData?.gate) {
    Atomics.store(workerData.gate, 0, 2);
    Atomics.notify(workerData.gate, 0);
  }
  throw error;
}
