/**
 * How long someone listened, as every member-facing view words it ("5 h 38 min", "42 min",
 * "< 1 min"). One function, rounding once from milliseconds, so the same week reads the same on a
 * leaderboard, in /wrapped, in the digest and on a chart: callers pass milliseconds, never minutes
 * they rounded themselves.
 */

const MINUTE_MS = 60_000;

export function listeningTime(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes < 1) return ms > 0 ? '< 1 min' : '0 min';
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours.toLocaleString('en')} h ${minutes % 60} min` : `${minutes} min`;
}

/** "12 plays · 41 min": a count of plays and the time they took. */
export function playsAndListeningTime(plays: number, ms: number): string {
  return `${plays.toLocaleString('en')} play${plays === 1 ? '' : 's'} · ${listeningTime(ms)}`;
}
