import { describe, expect, it } from 'vitest';
import {
  addDays,
  highestCrossed,
  milestonesCrossed,
  type WeekMilestoneInput,
} from '../../../src/core/streaks/index.js';

const MIN = 60_000;
const daysFrom = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));
/** A week of 7–13 December 2026 in which nothing happened, to vary one thing at a time. */
const week = (over: Partial<WeekMilestoneInput> = {}): WeekMilestoneInput => ({
  fromDay: '2026-12-07',
  toDay: '2026-12-13',
  artists: [],
  yearMs: { before: 0, after: 0 },
  listeningDays: new Set(),
  ...over,
});

describe('milestones crossed in a week', () => {
  it('a mark counts in the week it is reached, not the week before nor after', () => {
    expect(highestCrossed([100, 1_000], 99, 100)).toBe(100);
    expect(highestCrossed([100, 1_000], 100, 180)).toBeUndefined();
    expect(highestCrossed([100, 1_000], 20, 99)).toBeUndefined();
    expect(highestCrossed([100, 500, 1_000], 50, 2_000)).toBe(1_000); // an import: only the highest
  });

  it('tells an artist’s 1,000th play, the biggest marks first', () => {
    const got = milestonesCrossed(
      week({
        artists: [
          { name: 'Small', before: 95, after: 104 },
          { name: 'Big', before: 990, after: 1_010 },
          { name: 'Steady', before: 1_010, after: 1_030 },
        ],
      }),
    );
    expect(got).toEqual([
      { kind: 'artistPlays', artist: 'Big', plays: 1_000 },
      { kind: 'artistPlays', artist: 'Small', plays: 100 },
    ]);
  });

  it('tells 10,000 minutes this year once', () => {
    expect(milestonesCrossed(week({ yearMs: { before: 9_990 * MIN, after: 10_200 * MIN } }))).toEqual([
      { kind: 'yearMinutes', year: 2026, minutes: 10_000 },
    ]);
    expect(milestonesCrossed(week({ yearMs: { before: 10_000 * MIN, after: 10_200 * MIN } }))).toEqual([]);
  });

  it('tells a 100-day streak in the week its 100th day falls, and not when it broke before', () => {
    const hundredth = '2026-12-10';
    const streak = new Set(daysFrom(addDays(hundredth, -99), 103));
    expect(milestonesCrossed(week({ listeningDays: streak }))).toEqual([{ kind: 'streakDays', days: 100 }]);
    // The week after: already past 100, nothing new.
    expect(milestonesCrossed(week({ fromDay: '2026-12-14', toDay: '2026-12-20', listeningDays: streak }))).toEqual([]);
    // One day missed in the middle: two runs of fewer than 100 days.
    const broken = new Set([...streak].filter((d) => d !== '2026-11-01'));
    expect(milestonesCrossed(week({ listeningDays: broken }))).toEqual([]);
  });
});
