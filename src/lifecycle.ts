import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown> | unknown;
}

/**
 * Runs shutdown steps in order (stop jobs → close the gateway → drain HTTP → close the pool),
 * each isolated from the others' failures, and gives up after `deadlineMs` so a stuck step
 * can't keep a container from stopping.
 */
export async function runShutdown(steps: ShutdownStep[], log: Logger, deadlineMs = 10_000): Promise<boolean> {
  const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), deadlineMs).unref());
  const all = (async () => {
    for (const step of steps) {
      const started = performance.now();
      try {
        await step.run();
        log.info({ step: step.name, ms: Math.round(performance.now() - started) }, 'shutdown step done');
      } catch (error) {
        log.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
    return true;
  })();
  return Promise.race([all, deadline]);
}

/** Calls `onSignal` once on the first SIGTERM or SIGINT; a second signal exits at once. */
export function onTerminationSignal(onSignal: (signal: NodeJS.Signals) => void): void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = true;
    onSignal(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
