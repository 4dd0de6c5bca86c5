import { addDays, runEndingOn } from './streaks.js';

/**
 * Milestones a member crossed in a week: each is announced once, in the week it was crossed,
 * because "crossed" means below the mark before the week's first day and at or above it by its
 * last. When several marks of one kind fall in the same week (an import), only the highest is told.
 */

export const ARTIST_PLAY_MARKS = [100, 500, 1_000, 5_000, 10_000] as const;
export const YEAR_MINUTE_MARKS = [1_000, 10_000, 50_000, 100_000] as const;
export const STREAK_DAY_MARKS = [30, 100, 365, 1_000] as const;

export type Milestone =
  | { kind: 'artistPlays'; artist: string; plays: number }
  | { kind: 'yearMinutes'; year: number; minutes: number }
  | { kind: 'streakDays'; days: number };

/** The highest mark in `marks` with before < mark ≤ after. */
export function highestCrossed(marks: readonly number[], before: number, after: number): number | undefined {
  return marks.filter((mark) => before < mark && mark <= after).at(-1);
}

export interface WeekMilestoneInput {
  /** The week's first and last day (inclusive). */
  fromDay: string;
  toDay: string;
  /** Artists played in the week: their all-time plays before the week and by its end. */
  artists: ReadonlyArray<{ name: string; before: number; after: number }>;
  /** Listening time of the calendar year of `toDay`, before the week and by its end. */
  yearMs: { before: number; after: number };
  /** Every local date with a play, up to the week's end at least. */
  listeningDays: ReadonlySet<string>;
}

/** What the member crossed in the week: artists by how high the mark, then minutes, then the streak. */
export function milestonesCrossed(input: WeekMilestoneInput): Milestone[] {
  const out: Milestone[] = [];
  const artists = input.artists
    .map((a) => ({ name: a.name, mark: highestCrossed(ARTIST_PLAY_MARKS, a.before, a.after) }))
    .filter((a): a is { name: string; mark: number } => a.mark !== undefined)
    .sort((a, b) => b.mark - a.mark || (a.name < b.name ? -1 : 1));
  for (const a of artists) out.push({ kind: 'artistPlays', artist: a.name, plays: a.mark });
  const minutes = highestCrossed(YEAR_MINUTE_MARKS, input.yearMs.before / 60_000, input.yearMs.after / 60_000);
  if (minutes !== undefined) out.push({ kind: 'yearMinutes', year: Number(input.toDay.slice(0, 4)), minutes });
  const streak = streakCrossed(input.listeningDays, input.fromDay, input.toDay);
  if (streak !== undefined) out.push({ kind: 'streakDays', days: streak });
  return out;
}

/** The highest streak mark a run of listening days reached on one of the week's days. */
function streakCrossed(days: ReadonlySet<string>, fromDay: string, toDay: string): number | undefined {
  const before = runEndingOn(days, addDays(fromDay, -1));
  let after = before;
  for (let day = fromDay; day <= toDay; day = addDays(day, 1)) after = Math.max(after, runEndingOn(days, day));
  return highestCrossed(STREAK_DAY_MARKS, before, after);
}
