import { utcDay } from '../time/utcDay.js';

const DAY_MS = 86_400_000;

export type Period = 'week' | 'month' | 'year' | 'all';

/** How many days each rolling window covers, today included. */
export const PERIOD_DAYS: Readonly<Record<Exclude<Period, 'all'>, number>> = { week: 7, month: 30, year: 365 };

/** The first UTC day ('YYYY-MM-DD') of a rolling window ending `today`; undefined for all time. */
export function periodStart(period: Period, today: string): string | undefined {
  if (period === 'all') return undefined;
  const end = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(end)) throw new RangeError(`not a day: ${today}`);
  return utcDay(end - (PERIOD_DAYS[period] - 1) * DAY_MS);
}

/** A window [from, to] of UTC days cut into the days of its first and last month and the whole months between. */
export interface WindowPieces {
  /** Inclusive day ranges, at most two. */
  days: Array<[string, string]>;
  /** Inclusive range of month starts ('YYYY-MM-01') wholly inside the window, if any. */
  months: [string, string] | undefined;
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
/** The first day of the month `offset` months after the one `day` is in. */
function addMonths(day: string, offset: number): string {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return utcDay(d.getTime());
}
const dayBefore = (day: string) => utcDay(Date.parse(`${day}T00:00:00Z`) - DAY_MS);

export function windowPieces(from: string, to: string): WindowPieces {
  if (monthStart(from) === monthStart(to)) return { days: [[from, to]], months: undefined };
  const firstFull = addMonths(from, 1);
  const lastFull = addMonths(to, -1);
  return {
    days: [
      [from, dayBefore(firstFull)],
      [monthStart(to), to],
    ],
    months: firstFull <= lastFull ? [firstFull, lastFull] : undefined,
  };
}
