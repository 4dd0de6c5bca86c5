/**
 * A listen counts once: when one member has two sources that saw the same listen (a Spotify link
 * and a ListenBrainz account reading the same Spotify), or a source repeats itself, the two plays
 * are one. Pure; the store applies the same rule in SQL against what is stored (storePlays).
 */

/** How far apart two sightings of one listen may be dated. */
export const SAME_LISTEN_MS = 10_000;

export interface ListenTiming {
  /** When the play ended (Unix ms). */
  playedAt: number;
  msPlayed: number | null;
  msEstimated: boolean;
}

const startOf = (p: ListenTiming) => p.playedAt - (p.msPlayed ?? 0);

/**
 * Whether two plays of the same track are one listen: their ends within SAME_LISTEN_MS, or, when
 * either length is unknown or estimated (so its end is a guess), their starts within it.
 */
export function sameTiming(a: ListenTiming, b: ListenTiming): boolean {
  if (Math.abs(a.playedAt - b.playedAt) <= SAME_LISTEN_MS) return true;
  const loose = a.msPlayed === null || b.msPlayed === null || a.msEstimated || b.msEstimated;
  return loose && Math.abs(startOf(a) - startOf(b)) <= SAME_LISTEN_MS;
}

/**
 * The plays without those repeating an earlier one of the list (same track id or same match key,
 * same timing), in the list's order: the first sighting wins.
 */
export function firstSightings<P extends ListenTiming>(
  plays: readonly P[],
  keysOf: (play: P) => readonly string[],
): P[] {
  const seen = new Map<string, P[]>();
  const kept: P[] = [];
  for (const play of plays) {
    const keys = keysOf(play);
    if (keys.some((k) => seen.get(k)?.some((other) => sameTiming(other, play)))) continue;
    kept.push(play);
    for (const k of keys) {
      const list = seen.get(k);
      if (list) list.push(play);
      else seen.set(k, [play]);
    }
  }
  return kept;
}
