import { describe, expect, it } from 'vitest';
import { SAME_LISTEN_MS, firstSightings, sameTiming, type ListenTiming } from '../../../src/core/sources/index.js';

const T = Date.UTC(2026, 10, 20, 18);
const exact = (playedAt: number, msPlayed = 200_000): ListenTiming => ({ playedAt, msPlayed, msEstimated: false });
const estimated = (playedAt: number, msPlayed = 200_000): ListenTiming => ({ playedAt, msPlayed, msEstimated: true });
const unknown = (playedAt: number): ListenTiming => ({ playedAt, msPlayed: null, msEstimated: false });

describe('one listen seen twice', () => {
  it('is the same listen when the two ends are at most 10 s apart, and not at 10.001 s', () => {
    expect(sameTiming(exact(T), exact(T + SAME_LISTEN_MS))).toBe(true);
    expect(sameTiming(exact(T), exact(T - SAME_LISTEN_MS - 1))).toBe(false);
  });

  it('compares starts when a length is an estimate: a real end and one from start + track length', () => {
    // Listened 120 s of a 200 s track: the real end is 80 s before the estimated one.
    expect(sameTiming(exact(T, 120_000), estimated(T + 80_000 + 4_000))).toBe(true);
    expect(sameTiming(exact(T, 120_000), exact(T + 84_000, 200_000))).toBe(false);
  });

  it('compares starts when a length is unknown (a play dated by its start)', () => {
    expect(sameTiming(unknown(T - 200_000 + 3_000), estimated(T))).toBe(true);
    expect(sameTiming(unknown(T - 200_000 + 11_000), estimated(T))).toBe(false);
  });

  it('never joins two full plays of one track back to back', () => {
    expect(sameTiming(estimated(T), estimated(T + 200_000))).toBe(false);
    expect(sameTiming(estimated(T), estimated(T + 30_000))).toBe(false);
  });
});

describe('first sightings in one batch', () => {
  const play = (id: string, timing: ListenTiming) => ({ id, ...timing });
  it('keeps the first of two sightings of one listen by track or by match key, and every other play', () => {
    const plays = [
      play('a', estimated(T)),
      play('b', estimated(T + 4_000)), // same key as a
      play('c', estimated(T + 5_000)), // another track
      play('d', estimated(T + 200_000)), // a's track again, later
    ];
    const keys: Record<string, string[]> = { a: ['t:1', 'm:x'], b: ['t:2', 'm:x'], c: ['t:3'], d: ['t:1', 'm:x'] };
    expect(firstSightings(plays, (p) => keys[p.id]!).map((p) => p.id)).toEqual(['a', 'c', 'd']);
  });
});
