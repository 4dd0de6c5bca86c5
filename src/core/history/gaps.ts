/** A stretch of time in which a member's plays may be missing from the history (Unix ms). */
export interface Gap {
  from: number;
  to: number;
}

/** Spotify's recently-played page size, and the whole window it remembers. */
export const RECENT_WINDOW = 50;

/**
 * A full page whose oldest play is still newer than the cursor means the member may have played
 * more than the window holds since the last poll: the plays between the cursor and that oldest
 * play could not be collected. A first poll (no cursor) has nothing to miss: history starts there.
 */
export function detectGap(cursor: number | undefined, playedAt: readonly number[]): Gap | undefined {
  if (cursor === undefined || playedAt.length < RECENT_WINDOW) return undefined;
  const oldest = Math.min(...playedAt);
  return oldest > cursor ? { from: cursor, to: oldest } : undefined;
}
