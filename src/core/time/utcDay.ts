const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, as YYYY-MM-DD (rollups, periods and digest weeks are per UTC day). */
export function utcDay(at: number): string {
  return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}
