/**
 * Streaks: days in a row with a play (of anything, an artist, a track or a genre). Days are the
 * member's local calendar dates, "YYYY-MM-DD"; see localDays.ts for how they come from UTC rollups.
 */

const DAY_MS = 86_400_000;

/** A run of consecutive days, both ends included. */
export interface Streak {
  days: number;
  from: string;
  to: string;
}

export interface Streaks {
  /** The run that ends today or yesterday (today may still be played): absent when it broke. */
  current?: Streak;
  /** The longest run ever; the latest of equals. */
  longest?: Streak;
}

/** The date `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every run of consecutive days in `days` (any order, duplicates allowed), oldest first. */
export function runsOf(days: Iterable<string>): Streak[] {
  const sorted = [...new Set(days)].sort();
  const runs: Streak[] = [];
  for (const day of sorted) {
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === day) {
      last.to = day;
      last.days += 1;
    } else runs.push({ days: 1, from: day, to: day });
  }
  return runs;
}

/** The current and the longest streak of `days`, seen on the member's local date `today`. */
export function streaksOf(days: Iterable<string>, today: string): Streaks {
  const runs = runsOf(days);
  const yesterday = addDays(today, -1);
  let longest: Streak | undefined;
  for (const run of runs) if (!longest || run.days >= longest.days) longest = run;
  // A play dated after today (a clock a little behind the plays) still keeps the streak alive.
  const current = runs.findLast((run) => run.to >= yesterday && run.from <= today);
  return { ...(current ? { current } : {}), ...(longest ? { longest } : {}) };
}

/** How many days in a row end on `day` (0 when `day` itself has no play). */
export function runEndingOn(days: ReadonlySet<string>, day: string): number {
  let n = 0;
  while (days.has(addDays(day, -n))) n += 1;
  return n;
}
