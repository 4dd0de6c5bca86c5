import { describe, expect, it } from 'vitest';
import { CADENCE, nextPollDelay, retryAt } from '../../../src/core/history/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 10, 20, 18);

describe('the collector cadence', () => {
  it('polls every 20 minutes while the member listens (72 polls a day)', () => {
    expect(nextPollDelay({ count: 5, lastPlayAt: now - 2 * MIN }, now)).toBe(20 * MIN);
    expect(nextPollDelay({ count: 39, lastPlayAt: now }, now)).toBe(20 * MIN);
    expect((24 * HOUR) / CADENCE.defaultMs).toBe(72);
  });

  it('polls again in 10 minutes after a nearly full page (40 or more of 50)', () => {
    expect(nextPollDelay({ count: 40, lastPlayAt: now }, now)).toBe(10 * MIN);
    expect(nextPollDelay({ count: 50, lastPlayAt: now }, now)).toBe(10 * MIN);
  });

  it('keeps the usual cadence for an empty poll while the last play is less than 6 hours old', () => {
    expect(nextPollDelay({ count: 0, lastPlayAt: now - 5 * HOUR - 59 * MIN }, now)).toBe(20 * MIN);
  });

  it('polls hourly once the member has been quiet for 6 hours (a night, a working day)', () => {
    expect(nextPollDelay({ count: 0, lastPlayAt: now - 6 * HOUR }, now)).toBe(HOUR);
    expect(nextPollDelay({ count: 0, lastPlayAt: now - 23 * HOUR }, now)).toBe(HOUR);
  });

  it('slows to every 2 hours for a member who has played nothing for a day, or ever', () => {
    expect(nextPollDelay({ count: 0, lastPlayAt: now - 24 * HOUR }, now)).toBe(2 * HOUR);
    expect(nextPollDelay({ count: 0, lastPlayAt: now - 30 * 24 * HOUR }, now)).toBe(2 * HOUR);
    expect(nextPollDelay({ count: 0 }, now)).toBe(2 * HOUR);
  });

  it('wakes up at once: any play brings back the usual cadence', () => {
    expect(nextPollDelay({ count: 1, lastPlayAt: now - MIN }, now)).toBe(20 * MIN);
  });

  it('never polls so slowly that a member could play 50 tracks in between (at 2.5 minutes a track)', () => {
    expect(CADENCE.idleMs).toBeLessThan(50 * 2.5 * MIN);
    expect(CADENCE.quietMs).toBeLessThan(CADENCE.idleMs);
  });

  it('retries a failed poll at the next cadence, or when Spotify lets traffic through again if later', () => {
    expect(retryAt(now)).toBe(now + 20 * MIN);
    expect(retryAt(now, now + 5 * MIN)).toBe(now + 20 * MIN);
    expect(retryAt(now, now + 9 * HOUR)).toBe(now + 9 * HOUR);
  });
});
