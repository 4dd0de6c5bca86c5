import type { TimeRange } from './memberChart.js';

/** Spotify's ranges as spans of history ending now: short_term ≈ 4 weeks, medium_term ≈ 6 months, long_term ≈ a year. */
export const RANGE_DAYS: Record<TimeRange, number> = { short_term: 28, medium_term: 182, long_term: 365 };

/** Fewer plays than this in a span and the history is too thin to rank anything (top lists come from Spotify). */
export const THIN_HISTORY_PLAYS = 20;

/**
 * History stands in for Spotify's top list of a span when it was being recorded over at least this
 * share of the span: a listener rarely plays every day, so days with plays would undercount, while
 * the stretch from the first to the last stored play, less the recorded collection gaps, does not.
 * 0.8 leaves about five quiet days at the end of a 4-week span before Spotify is asked again.
 */
export const COVERED_SHARE = 0.8;

export interface Coverage {
  /** Share (0–1) of the span the history was being recorded over. */
  share: number;
  plays: number;
  /** Whether the history answers for the span: at least THIN_HISTORY_PLAYS plays and COVERED_SHARE of it. */
  covers: boolean;
}

/**
 * How much of `span` a member's history covers: from their first stored play (or the span's start)
 * to their last one (or the span's end when the reader does not say), less the time recorded gaps
 * (Spotify forgot plays between two polls) take out of that stretch.
 */
export function historyCoverage(
  span: { from: number; to: number },
  history: { plays: number; firstPlayAt?: number; lastPlayAt?: number },
  gaps: ReadonlyArray<{ from: number; to: number }>,
): Coverage {
  const length = span.to - span.from;
  if (history.firstPlayAt === undefined || length <= 0) return { share: 0, plays: history.plays, covers: false };
  const from = Math.max(span.from, history.firstPlayAt);
  const to = Math.min(span.to, history.lastPlayAt ?? span.to);
  let recorded = Math.max(0, to - from);
  // Gaps may overlap one another: count each instant once.
  let reach = from;
  for (const gap of [...gaps].sort((a, b) => a.from - b.from)) {
    const start = Math.max(gap.from, reach);
    const end = Math.min(gap.to, to);
    if (end > start) recorded -= end - start;
    reach = Math.max(reach, end);
  }
  const share = Math.max(0, recorded) / length;
  return { share, plays: history.plays, covers: history.plays >= THIN_HISTORY_PLAYS && share >= COVERED_SHARE };
}
