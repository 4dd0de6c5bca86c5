import { describe, expect, it } from 'vitest';
import { COVERED_SHARE, THIN_HISTORY_PLAYS, historyCoverage } from '../../../src/app/charts/coverage.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);
const FOUR_WEEKS = { from: NOW - 28 * DAY, to: NOW };

describe('historyCoverage', () => {
  it('covers a span recorded from before its start to now, with enough plays', () => {
    const c = historyCoverage(
      FOUR_WEEKS,
      { plays: 300, firstPlayAt: NOW - 400 * DAY, lastPlayAt: NOW - 3_600_000 },
      [],
    );
    expect(c.covers).toBe(true);
    expect(c.share).toBeGreaterThan(0.99);
  });

  it('does not cover a span whose history started inside it (a member linked ten days ago)', () => {
    const c = historyCoverage(FOUR_WEEKS, { plays: 300, firstPlayAt: NOW - 10 * DAY, lastPlayAt: NOW }, []);
    expect(c.share).toBeCloseTo(10 / 28, 5);
    expect(c.covers).toBe(false);
  });

  it('does not cover the recent weeks of an import that ended long ago', () => {
    const c = historyCoverage(FOUR_WEEKS, { plays: 40, firstPlayAt: NOW - 900 * DAY, lastPlayAt: NOW - 20 * DAY }, []);
    expect(c.share).toBeCloseTo(8 / 28, 5);
    expect(c.covers).toBe(false);
  });

  it('takes recorded gaps out, counting overlapping gaps once', () => {
    const history = { plays: 500, firstPlayAt: NOW - 60 * DAY, lastPlayAt: NOW };
    const gaps = [
      { from: NOW - 20 * DAY, to: NOW - 16 * DAY },
      { from: NOW - 18 * DAY, to: NOW - 15 * DAY },
      // Outside the span: costs nothing.
      { from: NOW - 50 * DAY, to: NOW - 40 * DAY },
    ];
    const c = historyCoverage(FOUR_WEEKS, history, gaps);
    expect(c.share).toBeCloseTo(23 / 28, 5);
    expect(c.covers).toBe(true);
    const longer = historyCoverage(FOUR_WEEKS, history, [...gaps, { from: NOW - 5 * DAY, to: NOW - 3 * DAY }]);
    expect(longer.share).toBeCloseTo(21 / 28, 5);
    expect(longer.covers).toBe(false);
  });

  it('needs at least THIN_HISTORY_PLAYS plays however long the history', () => {
    const history = { firstPlayAt: NOW - 400 * DAY, lastPlayAt: NOW };
    expect(historyCoverage(FOUR_WEEKS, { ...history, plays: THIN_HISTORY_PLAYS - 1 }, []).covers).toBe(false);
    expect(historyCoverage(FOUR_WEEKS, { ...history, plays: THIN_HISTORY_PLAYS }, []).covers).toBe(true);
  });

  it('draws the line at COVERED_SHARE of the span', () => {
    const at = (days: number) =>
      historyCoverage(FOUR_WEEKS, { plays: 100, firstPlayAt: NOW - days * DAY, lastPlayAt: NOW }, []).covers;
    expect(at(28 * COVERED_SHARE + 0.01)).toBe(true);
    expect(at(28 * COVERED_SHARE - 0.01)).toBe(false);
  });

  it('covers nothing without a stored play', () => {
    expect(historyCoverage(FOUR_WEEKS, { plays: 0 }, [])).toEqual({ share: 0, plays: 0, covers: false });
  });
});
