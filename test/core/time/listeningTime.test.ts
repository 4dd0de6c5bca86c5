import { describe, expect, it } from 'vitest';
import { listeningTime, playsAndListeningTime } from '../../../src/core/time/listeningTime.js';

const MIN = 60_000;

describe('listeningTime: the one wording of time listened', () => {
  it('rounds once, from milliseconds, to the nearest minute', () => {
    expect(listeningTime(5 * 60 * MIN + 38 * MIN + 30_000)).toBe('5 h 39 min');
    expect(listeningTime(5 * 60 * MIN + 38 * MIN + 29_999)).toBe('5 h 38 min');
  });
  it('writes minutes without a leading zero, hours with thousands separators, and says when it is under a minute', () => {
    expect(listeningTime(65 * MIN)).toBe('1 h 5 min');
    expect(listeningTime(60 * MIN)).toBe('1 h 0 min');
    expect(listeningTime(42 * MIN)).toBe('42 min');
    expect(listeningTime(1234 * 60 * MIN)).toBe('1,234 h 0 min');
    expect(listeningTime(20_000)).toBe('< 1 min');
    expect(listeningTime(0)).toBe('0 min');
  });
  it('pairs plays with their time', () => {
    expect(playsAndListeningTime(1, 41 * MIN)).toBe('1 play · 41 min');
    expect(playsAndListeningTime(1200, 65 * MIN)).toBe('1,200 plays · 1 h 5 min');
  });
});
