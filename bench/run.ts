import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs every bench/*.bench.ts in turn (or those whose names contain an argument) and lets each
 * print its own figures. Benches print; they never assert.
 *
 * Each section runs in a process of its own: a section that leaves a patched global, an open
 * handle or a crashed worker behind cannot take the sections after it down (a whole run once died
 * in `fairness` because `charts` had loaded vega-lite into the same process). A failing section is
 * named with its error, the run goes on, and the exit code says whether any failed.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--section') {
  const file = args[1]!;
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
  // Benches may leave pools or timers open; the section is done when its function returns.
  process.exit(0);
}

/** Wall-clock cap per section; a hung section is stopped and counted as failed. */
const timeoutMs = Number(process.env.BENCH_SECTION_TIMEOUT_MIN ?? 30) * 60_000;
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = args.length ? files.filter((f) => args.some((x) => f.includes(x))) : files;
if (!chosen.length) {
  console.error(`no bench section matches ${args.join(', ')}; sections: ${files.map(name).join(', ')}`);
  process.exit(2);
}

interface Outcome {
  section: string;
  seconds: number;
  error?: string;
}
const outcomes: Outcome[] = [];
let current: number | undefined;
// Sections run in their own process groups, so an interrupt is passed on to the running one.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (current) killGroup(current);
    process.exit(130);
  });
for (const file of chosen) {
  console.log(`\n=== ${name(file)} ===`);
  outcomes.push(await runSection(file));
}

if (outcomes.length > 1) {
  console.log('\n=== summary ===');
  for (const o of outcomes)
    console.log(
      `${o.section.padEnd(16)} ${`${o.seconds.toFixed(0)} s`.padStart(7)}  ${o.error ? `FAILED: ${o.error}` : 'ran'}`,
    );
}
const failed = outcomes.filter((o) => o.error);
if (failed.length)
  console.log(`\n${failed.length} of ${outcomes.length} sections failed: ${failed.map((o) => o.section).join(', ')}`);
process.exit(failed.length ? 1 : 0);

function name(file: string): string {
  return file.replace(/\.bench\.ts$/, '');
}

/** One section in a child process (the same node and tsx loader as this one), output passed through. */
function runSection(file: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--section', file], {
      stdio: ['ignore', 'inherit', 'pipe'],
      detached: true, // its own process group, so a timeout stops whatever the section started too
    });
    // stderr is passed through and its last lines kept, to name the error in the summary.
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString()).slice(-4_000);
    });
    current = child.pid;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    }, timeoutMs);
    const finish = (error?: string) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ section: name(file), seconds: (performance.now() - started) / 1000, error });
    };
    child.on('error', (err) => finish(err.message));
    child.on('exit', (code, signal) => {
      if (timedOut) return finish(`timed out after ${timeoutMs / 60_000} min`);
      if (code === 0) return finish();
      finish(`${signal ? `killed by ${signal}` : `exit code ${code}`}${lastError(tail)}`);
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The error line of a stack trace in the child's stderr, if there is one. */
function lastError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const line = lines.findLast((l) => /^(\w*Error|error)\b|Error:/.test(l) && !l.startsWith('at '));
  return line ? ` — ${line.slice(0, 200)}` : '';
}
