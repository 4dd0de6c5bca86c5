import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkerGate, enterGate, holdGateShut, leaveGate } from '../../src/charts/workerGate.js';

const child = path.resolve('test/charts/support/exitWhileRendering.ts');

/** Runs support/exitWhileRendering.ts to its end: how it ended and what it wrote to stderr. */
function runChild(mode: 'exit' | 'close' | 'warm', exitAfter: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, mode, String(exitAfter)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, stderr: stderr.slice(0, 2_000) }));
  });
}

/**
 * Node terminates every worker thread when the process exits, and node-canvas aborts the whole
 * process (SIGABRT, "FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw") when its worker
 * is terminated while canvas code runs in it. That is how CI lost a vitest worker, and how the bot
 * would die on a second SIGTERM or a shutdown that ran out of time. Before the fix about one such
 * exit in two aborted; eight in a row without one is what the fix must give.
 */
describe('a process that exits while its chart workers draw', () => {
  const runs: Array<['exit' | 'close' | 'warm', number]> = [
    ['exit', 2],
    ['exit', 3],
    ['exit', 4],
    ['exit', 5],
    ['exit', 6],
    ['close', 3],
    ['close', 5],
    ['warm', 3],
  ];
  it('ends normally every time, never with a native abort', async () => {
    const endings: string[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const pair = await Promise.all(runs.slice(i, i + 2).map(([mode, after]) => runChild(mode, after)));
      pair.forEach(({ code, signal, stderr }, j) => {
        const [mode, after] = runs[i + j]!;
        const fatal = /FATAL ERROR[^\n]*/.exec(stderr)?.[0];
        endings.push(`${mode} after ${after}: ${signal ?? `code ${code}`}${fatal ? ` (${fatal})` : ''}`);
      });
    }
    expect(endings).toEqual(runs.map(([mode, after]) => `${mode} after ${after}: code 0`));
  }, 240_000);
});

describe('the gate between an exiting process and a chart worker', () => {
  it('waits no longer than it is given for a worker that is drawing, and says so', () => {
    const gate = createWorkerGate(); // a worker still loading counts as drawing
    expect(holdGateShut([gate], 0)).toBe(false);
  });

  it('shuts an idle worker’s gate, after which the worker starts nothing', () => {
    const gate = createWorkerGate();
    leaveGate(gate); // loaded
    expect(enterGate(gate)).toBe(true);
    leaveGate(gate); // drawn
    expect(holdGateShut([gate], 0)).toBe(true);
    expect(enterGate(gate)).toBe(false);
  });

  it('keeps a worker from starting once the exit asked, even if the gate is not shut yet', () => {
    const drawing = createWorkerGate();
    const idle = createWorkerGate();
    leaveGate(idle);
    // `drawing` never leaves within the bound; `idle` must still be stopped from starting.
    expect(holdGateShut([drawing, idle], 0)).toBe(false);
    expect(enterGate(idle)).toBe(false);
  });
});
