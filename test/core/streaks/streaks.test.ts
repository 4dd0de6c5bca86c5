import { describe, expect, it } from 'vitest';
import {
  addDays,
  listeningDays,
  localDate,
  localDatesByUtcDay,
  localDaysOfUtcDays,
  runEndingOn,
  runsOf,
  streaksOf,
} from '../../../src/core/streaks/index.js';

/** `n` consecutive days from `from`. */
const daysFrom = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));
const at = (iso: string) => Date.parse(iso);

describe('streaksOf: days in a row', () => {
  it('finds the runs of consecutive days, in any order and with repeats, across month and year ends', () => {
    expect(runsOf(['2027-01-01', '2026-12-31', '2026-12-30', '2026-12-30', '2027-01-03'])).toEqual([
      { days: 3, from: '2026-12-30', to: '2027-01-01' },
      { days: 1, from: '2027-01-03', to: '2027-01-03' },
    ]);
    expect(runsOf(['2028-02-28', '2028-02-29', '2028-03-01'])).toEqual([
      { days: 3, from: '2028-02-28', to: '2028-03-01' },
    ]);
  });

  it('keeps the current streak alive through today while yesterday was played, and breaks it after', () => {
    const days = daysFrom('2026-12-01', 5); // 1–5 December
    expect(streaksOf(days, '2026-12-05').current).toEqual({ days: 5, from: '2026-12-01', to: '2026-12-05' });
    expect(streaksOf(days, '2026-12-06').current?.days).toBe(5); // today not played yet: still alive
    expect(streaksOf(days, '2026-12-07').current).toBeUndefined();
    expect(streaksOf(days, '2026-12-07').longest).toEqual({ days: 5, from: '2026-12-01', to: '2026-12-05' });
  });

  it('tells the longest apart from the current one, the latest of equals, and nothing for no days', () => {
    const days = [...daysFrom('2026-10-01', 10), ...daysFrom('2026-11-01', 3), ...daysFrom('2026-11-10', 3)];
    const s = streaksOf(days, '2026-11-13');
    expect(s.current).toEqual({ days: 3, from: '2026-11-10', to: '2026-11-12' });
    expect(s.longest).toEqual({ days: 10, from: '2026-10-01', to: '2026-10-10' });
    expect(streaksOf(daysFrom('2026-11-01', 3).concat(daysFrom('2026-11-10', 3)), '2026-12-01').longest?.from).toBe(
      '2026-11-10',
    );
    expect(streaksOf([], '2026-12-01')).toEqual({});
  });

  it('counts how many days in a row end on a day', () => {
    const days = new Set(daysFrom('2026-12-01', 4));
    expect(runEndingOn(days, '2026-12-04')).toBe(4);
    expect(runEndingOn(days, '2026-12-02')).toBe(2);
    expect(runEndingOn(days, '2026-12-05')).toBe(0);
  });
});

describe('local days from UTC-day rollups', () => {
  it('dates an instant on the member’s calendar', () => {
    expect(localDate(at('2026-12-07T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-12-08');
    expect(localDate(at('2026-12-07T03:30:00Z'), 'America/New_York')).toBe('2026-12-06');
    expect(localDate(at('2026-12-07T03:30:00Z'), 'UTC')).toBe('2026-12-07');
  });

  it('gives a UTC day both local dates when its listening crossed the member’s midnight', () => {
    const byUtcDay = localDatesByUtcDay(
      [
        { day: '2026-12-07', first: at('2026-12-07T10:00:00Z'), last: at('2026-12-07T16:00:00Z') },
        { day: '2026-12-08', first: at('2026-12-08T10:00:00Z'), last: at('2026-12-08T12:00:00Z') },
      ],
      'Asia/Tokyo', // UTC+9: midnight is 15:00 UTC
    );
    expect(byUtcDay.get('2026-12-07')).toEqual(['2026-12-07', '2026-12-08']);
    expect(byUtcDay.get('2026-12-08')).toEqual(['2026-12-08']);
    expect([...listeningDays(byUtcDay)].sort()).toEqual(['2026-12-07', '2026-12-08']);
    // An artist played on both UTC days counts for every local date they touched.
    expect([...localDaysOfUtcDays(['2026-12-07'], byUtcDay)]).toEqual(['2026-12-07', '2026-12-08']);
    // A UTC day the map never saw keeps its own date.
    expect([...localDaysOfUtcDays(['2026-12-09'], byUtcDay)]).toEqual(['2026-12-09']);
  });

  it('keeps a nightly 00:30 habit unbroken across the end of summer time, where UTC days skip one', () => {
    // London: BST (UTC+1) until 25 Oct 2026 01:00 UTC, then GMT. 00:30 local each night.
    const nights = ['2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27'];
    const plays = nights.map((d) => at(`${d}T00:30:00${d <= '2026-10-25' ? '+01:00' : 'Z'}`));
    const bounds = plays.map((t) => ({ day: new Date(t).toISOString().slice(0, 10), first: t, last: t }));
    expect(bounds.map((b) => b.day)).toEqual(['2026-10-22', '2026-10-23', '2026-10-24', '2026-10-26', '2026-10-27']);
    expect(
      streaksOf(
        bounds.map((b) => b.day),
        '2026-10-27',
      ).current?.days,
    ).toBe(2); // UTC days: broken
    const local = listeningDays(localDatesByUtcDay(bounds, 'Europe/London'));
    expect(streaksOf(local, '2026-10-27').current).toEqual({ days: 5, from: '2026-10-23', to: '2026-10-27' });
  });
});
