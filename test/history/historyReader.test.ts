import { describe, expect, it } from 'vitest';
import type { NewPlay } from '../../src/app/history/index.js';
import { createMemberSettingsRepository } from '../../src/store/settings/memberSettingsRepository.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const repo = () => createHistoryRepository(store().pool);
const MIN = 60_000;
const DAY = 86_400_000;
// Sunday 29 November 2026 23:00 UTC: the plays straddle two ISO weeks (Monday 23 and 30 November).
const T = Date.UTC(2026, 10, 29, 23);

const play = (at: number, track: string, artists: string[], genre: string, ms: number | null = 200_000): NewPlay => ({
  playedAt: at,
  track: { id: track, name: `Song ${track}`, artists: artists.map((id) => ({ id, name: `Name ${id}` })) },
  msPlayed: ms,
  msEstimated: false,
  source: 'collected',
  genre,
});

describe('history reads for the charts', () => {
  it('answers play times, top tracks with all their artists, genre sums per week and period, and a summary', async () => {
    const member = aMemberId();
    const other = aMemberId();
    await repo().insertPlays(member, [
      play(T + 10 * MIN, 'x', ['a1', 'a2'], 'rock'),
      play(T + 20 * MIN, 'x', ['a1', 'a2'], 'rock', null),
      play(T + 30 * MIN, 'y', ['a3'], 'jazz'),
      play(T + 70 * MIN, 'x', ['a1', 'a2'], 'rock'), // Monday 30 November, 00:10
      play(T + 3 * DAY, 'z', ['a3'], 'jazz', 100_000),
    ]);
    await repo().insertPlays(other, [play(T + 15 * MIN, 'y', ['a3'], 'jazz')]);

    expect(await repo().playTimes(member, T + 15 * MIN, T + 70 * MIN)).toEqual(
      expect.arrayContaining([
        { playedAt: T + 20 * MIN, ms: 0 },
        { playedAt: T + 30 * MIN, ms: 200_000 },
        { playedAt: T + 70 * MIN, ms: 200_000 },
      ]),
    );
    expect(await repo().playTimes(member, T + 15 * MIN, T + 70 * MIN)).toHaveLength(3);
    expect(await repo().playTimes(member, T + 5 * DAY, T + 6 * DAY)).toEqual([]);

    expect(await repo().topTracks(member, T, T + 7 * DAY, 2)).toEqual([
      { trackId: 'x', name: 'Song x', artists: ['Name a1', 'Name a2'], plays: 3, ms: 400_000 },
      { trackId: 'y', name: 'Song y', artists: ['Name a3'], plays: 1, ms: 200_000 },
    ]);

    const weeks = await repo().genreDays(member, '2026-11-01', '2026-12-31', 'week');
    expect(weeks).toEqual([
      { day: '2026-11-23', genre: 'jazz', plays: 1, ms: 200_000 },
      { day: '2026-11-23', genre: 'rock', plays: 2, ms: 200_000 },
      { day: '2026-11-30', genre: 'jazz', plays: 1, ms: 100_000 },
      { day: '2026-11-30', genre: 'rock', plays: 1, ms: 200_000 },
    ]);
    expect(await repo().genreDays(member, '2026-11-30', '2026-12-31', 'period')).toEqual([
      { day: '2026-11-30', genre: 'jazz', plays: 1, ms: 100_000 },
      { day: '2026-11-30', genre: 'rock', plays: 1, ms: 200_000 },
    ]);
    expect(await repo().genreDays(member, '2026-11-29', '2026-11-29')).toHaveLength(2);

    expect(await repo().summary(member, '2026-11-30', '2026-12-31')).toEqual({
      plays: 2,
      ms: 300_000,
      firstPlayAt: T + 10 * MIN,
      lastPlayAt: T + 3 * DAY,
    });
    expect(await repo().summary(aMemberId(), '2026-11-30', '2026-12-31')).toEqual({
      plays: 0,
      ms: 0,
      firstPlayAt: undefined,
      lastPlayAt: undefined,
    });
  });

  it('keeps one time zone per member, replaced when set again and gone after deleteForUser', async () => {
    const settings = createMemberSettingsRepository(store().pool);
    const member = aMemberId();
    expect(await settings.timeZoneOf(member)).toBeUndefined();
    await settings.setTimeZone(member, 'Europe/Paris');
    await settings.setTimeZone(member, 'Asia/Tokyo');
    expect(await settings.timeZoneOf(member)).toBe('Asia/Tokyo');
    expect(await settings.deleteForUser(member)).toBe(true);
    expect(await settings.deleteForUser(member)).toBe(false);
    expect(await settings.timeZoneOf(member)).toBeUndefined();
  });
});
