/** A member's running sums up to and including a day (member_cumulative). */
export interface RunningSum {
  day: string;
  plays: number;
  ms: number;
  /** Artists discovered up to the day. */
  firsts: number;
  /** Listening time per genre up to the day. */
  genreMs: Record<string, number>;
}

/**
 * The running sums of each day of `days` (sorted), carrying on from `base` (the last sum before
 * the first of them; undefined: nothing before). A genre enters the sums with its first day of
 * listening time, so one never played is absent rather than 0.
 */
export function runningSums(
  base: Omit<RunningSum, 'day'> | undefined,
  days: ReadonlyArray<{
    day: string;
    plays: number;
    ms: number;
    firsts: number;
    genreMs: Record<string, number> | null;
  }>,
): RunningSum[] {
  let plays = base?.plays ?? 0;
  let ms = base?.ms ?? 0;
  let firsts = base?.firsts ?? 0;
  const genres: Record<string, number> = { ...(base?.genreMs ?? {}) };
  return days.map((d) => {
    plays += d.plays;
    ms += d.ms;
    firsts += d.firsts;
    for (const [genre, add] of Object.entries(d.genreMs ?? {})) if (add > 0) genres[genre] = (genres[genre] ?? 0) + add;
    return { day: d.day, plays, ms, firsts, genreMs: { ...genres } };
  });
}
