import type { BackfillProgress, SourceSyncRecord } from './syncPorts.js';

export const DEFAULT_PROGRESS_EVERY = { pages: 10, ms: 60_000 } as const;

/**
 * The progress report due after a backfill page that left `state` (already counting the page),
 * measured at `now`, or undefined when the last one was too recent. Both bounds must pass: a DM
 * every few seconds on a fast source, or after every page of a slow one, would be noise.
 * The ETA uses the pace since the last report (since the start for the first), so a backfill that
 * sat through a restart or a rate limit is judged by how fast it goes now.
 */
export function progressReport(
  state: SourceSyncRecord,
  now: number,
  every: { pages: number; ms: number } = DEFAULT_PROGRESS_EVERY,
): BackfillProgress | undefined {
  const since = state.progressAt ?? state.backfillStartedAt ?? now;
  if (state.pages - (state.progressPages ?? 0) < every.pages || now - since < every.ms) return undefined;
  const readInWindow = state.read - (state.progressRead ?? 0);
  const progress: BackfillProgress = { read: state.read };
  if (state.total === undefined) return progress;
  progress.total = Math.max(state.total, state.read);
  if (readInWindow > 0) progress.etaMs = Math.round(((progress.total - state.read) * (now - since)) / readInWindow);
  return progress;
}
