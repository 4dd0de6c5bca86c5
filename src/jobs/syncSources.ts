import { syncTick, TICK_BUDGET_MS, type SyncResult } from '../app/sources/syncSources.js';
import type { SourceSyncDeps } from '../app/sources/syncPorts.js';
import type { Job } from './scheduler.js';

/**
 * ListenBrainz and Last.fm: every minute, a step for each link that is due (a poll on its adaptive
 * cadence, or the next backfill page), then more backfill pages until TICK_BUDGET_MS of the clock
 * is spent. The budget is below the minute so a run ends before the next tick (the scheduler skips
 * a tick whose previous run goes on); within it the pace is each source's client's, so a
 * 100,000-listen backfill takes about as long as the source's rate limit allows (ListenBrainz: ~100
 * pages, within a minute; Last.fm: ~500 pages at 4 a second, about three ticks), not a page a
 * minute. Not claimed per tick: several instances may all run it, and the per-link lease decides
 * who takes each step, so a backfill carries on on another instance when this one dies.
 */
export function syncSourcesJob(
  deps: SourceSyncDeps,
  options: { budgetMs?: number; stopping?: () => boolean } = {},
): Job<unknown> {
  // One run at a time in a process: a run started by hand (runNow) while the minute's tick runs would
  // hold the same leases (one owner per process) and could take a step twice (the sandbox saw a DM twice).
  let current: Promise<void> | undefined;
  const runOnce = async () => {
    const results = await syncTick(deps, {
      budgetMs: options.budgetMs ?? TICK_BUDGET_MS,
      ...(options.stopping ? { shouldStop: options.stopping } : {}),
    });
    const summary = summarise(results);
    if (summary.pages || summary.polls || summary.failed) deps.log.info(summary, 'listening sources synced');
  };
  return {
    name: 'sync-sources',
    schedule: '* * * * *',
    once: false,
    async run() {
      while (current) await current.catch(() => {});
      current = runOnce().finally(() => (current = undefined));
      await current;
    },
  };
}

function summarise(results: readonly SyncResult[]) {
  let pages = 0;
  let polls = 0;
  let failed = 0;
  let listens = 0;
  for (const r of results) {
    if (r.kind === 'backfilled') {
      pages++;
      listens += r.listens;
    } else if (r.kind === 'polled') {
      polls++;
      listens += r.fresh;
    } else if (r.kind === 'failed' || r.kind === 'stopped') failed++;
  }
  return { pages, polls, failed, listens };
}
