/**
 * When to poll a member's recently-played next. Spotify keeps only a member's last 50 plays, so
 * the interval must stay well under the time it takes them to play 50 tracks (about 2.5 hours of
 * non-stop listening), while every poll spends a request from the app's small daily quota.
 */
export const CADENCE = {
  /** The usual interval: 72 polls a day, a comfortable margin under the 50-play window. */
  defaultMs: 20 * 60_000,
  /** After a nearly full page: the member listens a lot and could outrun a 20-minute poll. */
  busyMs: 10 * 60_000,
  /** A page with this many plays or more counts as nearly full. */
  busyCount: 40,
  /** A member who has played nothing for this long (asleep, at work) is polled at the quiet interval. */
  quietAfterMs: 6 * 3_600_000,
  /** Starting to listen again, nobody plays 50 tracks within an hour (a play counts after 30 s, most last minutes). */
  quietMs: 60 * 60_000,
  /** A member who has played nothing for this long is polled at the idle interval. */
  idleAfterMs: 24 * 3_600_000,
  /** Even a quiet member who starts listening cannot fill 50 plays in this time. */
  idleMs: 2 * 3_600_000,
} as const;

export interface PollOutcome {
  /** How many plays the poll returned (new ones, after the cursor). */
  count: number;
  /** The newest play the member is known to have made, if any (Unix ms). */
  lastPlayAt?: number;
}

/** Milliseconds until the next poll after a poll that ended at `now` (Unix ms). */
export function nextPollDelay(outcome: PollOutcome, now: number): number {
  if (outcome.count >= CADENCE.busyCount) return CADENCE.busyMs;
  if (outcome.count > 0) return CADENCE.defaultMs;
  const quietFor = outcome.lastPlayAt === undefined ? Number.POSITIVE_INFINITY : now - outcome.lastPlayAt;
  if (quietFor >= CADENCE.idleAfterMs) return CADENCE.idleMs;
  return quietFor >= CADENCE.quietAfterMs ? CADENCE.quietMs : CADENCE.defaultMs;
}

/**
 * When a failed poll is tried again: at the next usual cadence, or when Spotify (or our own
 * budget) says traffic may resume, whichever is later. The 50-play window usually covers the wait.
 */
export function retryAt(now: number, resumesAt?: number): number {
  return Math.max(now + CADENCE.defaultMs, resumesAt ?? 0);
}
