const DAY_MS = 86_400_000;

export type Period = 'week' | 'month' | 'year' | 'all';

/** How many days each rolling window covers, today included. */
export const PERIOD_DAYS: Readonly<Record<Exclude<Period, 'all'>, number>> = { week: 7, month: 30, year: 365 };

/** The first UTC day ('YYYY-MM-DD') of a rolling window ending `today`; undefined for all time. */
export function periodStart(period: Period, today: string): string | undefined {
  if (period === 'all') return undefined;
  const end = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(end)) throw new RangeError(`not a day: ${today}`);
  return new Date(end - (PERIOD_DAYS[period] - 1) * DAY_MS).toISOString().slice(0, 10);
}
