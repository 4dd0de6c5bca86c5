import { describe, expect, it } from 'vitest';
import { periodStart, windowPieces } from '../../../src/core/social/index.js';

describe('periodStart', () => {
  it('opens rolling windows that end today: 7, 30 and 365 days, today included', () => {
    expect(periodStart('week', '2026-11-30')).toBe('2026-11-24');
    expect(periodStart('month', '2026-11-30')).toBe('2026-11-01');
    expect(periodStart('year', '2026-11-30')).toBe('2025-12-01');
  });

  it('crosses month ends and leap days by the calendar', () => {
    expect(periodStart('week', '2028-03-02')).toBe('2028-02-25');
    expect(periodStart('year', '2028-12-31')).toBe('2028-01-02');
  });

  it('has no start for all time, and refuses what is not a day', () => {
    expect(periodStart('all', '2026-11-30')).toBeUndefined();
    expect(() => periodStart('week', 'last tuesday')).toThrow(RangeError);
  });
});

describe('windowPieces', () => {
  it('keeps a window inside one month as days', () => {
    expect(windowPieces('2026-11-01', '2026-11-30')).toEqual({
      days: [['2026-11-01', '2026-11-30']],
      months: undefined,
    });
  });

  it('cuts a year into the days of its first and last month and the whole months between', () => {
    expect(windowPieces('2025-11-21', '2026-11-20')).toEqual({
      days: [
        ['2025-11-21', '2025-11-30'],
        ['2026-11-01', '2026-11-20'],
      ],
      months: ['2025-12-01', '2026-10-01'],
    });
  });

  it('has no whole month between two neighbouring months, and knows February', () => {
    expect(windowPieces('2028-02-10', '2028-03-05')).toEqual({
      days: [
        ['2028-02-10', '2028-02-29'],
        ['2028-03-01', '2028-03-05'],
      ],
      months: undefined,
    });
  });
});
