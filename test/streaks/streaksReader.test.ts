import { describe, expect, it } from 'vitest';
import type { NewPlay } from '../../src/app/history/index.js';
import type { StreaksDeps } from '../../src/app/streaks/ports.js';
import { streakChoices, streakReport, weeklyMilestones } from '../../src/app/streaks/streaks.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createMemberSettingsRepository } from '../../src/store/settings/memberSettingsRepository.js';
import { createStreaksReader } from '../../src/store/streaks/streaksReader.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';

const store = useTestStore();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

const deps = (): StreaksDeps => {
  const settings = createMemberSettingsRepository(store().pool);
  return { reader: createStreaksReader(store().pool), timeZoneOf: (id) => settings.timeZoneOf(id) };
};
const history = () => createHistoryRepository(store().pool);

/** A play of `track` by `artist`, ending at `playedAt`: 4 minutes. */
const play = (playedAt: number, track: string, artist: string, genre = 'rock'): NewPlay => ({
  playedAt,
  track: { id: `tr-${track}`, name: track, durationMs: 240_000, artists: [{ id: `ar-${artist}`, name: artist }] },
  msPlayed: 240_000,
  msEstimated: false,
  source: 'collected',
  genre,
});

describe('streaks from the rollups, on the member’s calendar', () => {
  it('counts any listening, artists, genres and tracks in the member’s zone, and only their own plays', async () => {
    const member = aMemberId();
    const other = aMemberId();
    await createMemberSettingsRepository(store().pool).setTimeZone(member, 'Asia/Tokyo'); // UTC+9
    // Every Tokyo evening 1–6 December at 20:00 (11:00 UTC), then a night at 00:30 on 8 December
    // (7 December 15:30 UTC): UTC days 1–7, Tokyo days 1–6 and 8.
    const plays: NewPlay[] = [];
    for (let d = 1; d <= 6; d += 1) {
      const evening = at(`2026-12-0${d}T11:00:00Z`);
      plays.push(play(evening, 'Daily Song', 'Daily Band', 'jazz'));
      plays.push(play(evening + 10 * MIN, d % 2 ? 'Odd Song' : 'Even Song', 'Sometimes', 'unclassified'));
    }
    plays.push(play(at('2026-12-07T15:30:00Z'), 'Daily Song', 'Daily Band', 'jazz'));
    await history().insertPlays(member, plays);
    // Someone else played every day until today: none of it is the member's.
    await history().insertPlays(
      other,
      Array.from({ length: 10 }, (_, i) => play(at('2026-11-30T12:00:00Z') + i * DAY, 'Daily Song', 'Daily Band')),
    );

    const now = at('2026-12-08T03:00:00Z'); // 12:00 in Tokyo, 8 December
    const report = await streakReport(deps(), member, now);
    expect(report).toMatchObject({ timeZone: 'Asia/Tokyo', isDefaultZone: false, today: '2026-12-08' });
    // Tokyo days 1–6, then 8: the 7th was missed there, however UTC days look.
    expect(report.listening).toEqual({
      current: { days: 1, from: '2026-12-08', to: '2026-12-08' },
      longest: { days: 6, from: '2026-12-01', to: '2026-12-06' },
    });
    expect(report.artists.map((a) => [a.name, a.current?.days, a.longest?.days])).toEqual([
      ['Daily Band', 1, 6],
      ['Sometimes', undefined, 6],
    ]);
    // "unclassified" says what Encore does not know: no streak of it.
    expect(report.genres.map((g) => [g.name, g.current?.days, g.longest?.days])).toEqual([['Jazz', 1, 6]]);
    expect(report.tracks.map((t) => [t.name, t.artists, t.longest?.days])).toEqual([
      ['Daily Song', ['Daily Band'], 6],
      // Equal streaks: by name.
      ['Even Song', ['Sometimes'], 1],
      ['Odd Song', ['Sometimes'], 1],
    ]);

    // The same plays for a member without a zone: UTC days 1–7, alive on the 8th.
    const inUtc = aMemberId();
    await history().insertPlays(inUtc, plays);
    const utc = await streakReport(deps(), inUtc, now);
    expect(utc.isDefaultZone).toBe(true);
    expect(utc.listening.current).toEqual({ days: 7, from: '2026-12-01', to: '2026-12-07' });
  });

  it('finds one artist, track or genre by id or by name as typed, and nothing for a name never played', async () => {
    const member = aMemberId();
    const now = at('2026-12-08T12:00:00Z');
    await history().insertPlays(member, [
      play(now - 2 * DAY, 'Blue 100%', 'Percent Band', 'pop'),
      play(now - DAY, 'Blue 100%', 'Percent Band', 'pop'),
      play(now - HOUR, 'Green', 'Other Band', 'rock'),
    ]);
    const byName = await streakReport(deps(), member, now, { kind: 'artist', query: 'percent band' });
    expect(byName.artists.map((a) => [a.name, a.current?.days])).toEqual([['Percent Band', 2]]);
    expect(byName.tracks).toEqual([]);
    const byId = await streakReport(deps(), member, now, { kind: 'track', query: 'tr-Blue 100%' });
    expect(byId.tracks.map((t) => [t.name, t.longest?.days])).toEqual([['Blue 100%', 2]]);
    expect((await streakReport(deps(), member, now, { kind: 'genre', query: 'roc' })).genres.map((g) => g.id)).toEqual([
      'rock',
    ]);
    // An id longer than Discord's 100-character choice value (an import's "name:" id) is cut: still found.
    const long = `name:${'x'.repeat(120)}`;
    await history().insertPlays(member, [
      { ...play(now - 3 * HOUR, 'Long', 'Other Band'), track: { id: long, name: 'Long', artists: [] } },
    ]);
    const [choice] = await streakChoices(deps(), member, 'track', 'long');
    expect(choice!.value).toHaveLength(100);
    const cut = await streakReport(deps(), member, now, { kind: 'track', query: choice!.value });
    expect(cut.tracks.map((t) => [t.id, t.current?.days])).toEqual([[long, 1]]);
    const nobody = await streakReport(deps(), member, now, { kind: 'artist', query: 'Never Heard' });
    expect(nobody.artists).toEqual([]);
    // A % typed is a percent sign, not a wildcard.
    expect((await streakChoices(deps(), member, 'track', '%')).map((c) => c.name)).toEqual([
      'Blue 100% — Percent Band',
    ]);
    expect(await streakChoices(deps(), member, 'artist', 'band')).toEqual([
      { name: 'Percent Band', value: 'ar-Percent Band' },
      { name: 'Other Band', value: 'ar-Other Band' },
    ]);
  });
});

describe('weekly milestones from the rollups', () => {
  it('tells the 100th play of an artist, 1,000 minutes this year and a 30-day streak in the week each is reached, once', async () => {
    const member = aMemberId();
    // 30 days in a row from 6 November 2026, 3 plays a day of one artist (12 minutes): the 30th day,
    // the 90th play, is Saturday 5 December; then 4 plays on Monday 7 December (the 100th goes by).
    const plays: NewPlay[] = [];
    for (let d = 0; d < 30; d += 1)
      for (let i = 0; i < 3; i += 1)
        plays.push(play(at('2026-11-06T12:00:00Z') + d * DAY + i * 5 * MIN, 'One', 'Fave'));
    for (let i = 0; i < 12; i += 1) plays.push(play(at('2026-12-07T12:00:00Z') + i * 5 * MIN, 'One', 'Fave'));
    // Enough earlier in the year to cross 1,000 minutes in the week of 7 December: 600 + 360 + 48.
    for (let i = 0; i < 150; i += 1) plays.push(play(at('2026-03-01T00:00:00Z') + i * 5 * MIN, 'Old', 'Past'));
    await history().insertPlays(member, plays);

    // Weeks are named by the Monday after them (digestPeriod): 30 Nov–6 Dec, then 7–13 Dec.
    expect(await weeklyMilestones(deps(), member, '2026-12-07')).toEqual([{ kind: 'streakDays', days: 30 }]);
    expect(await weeklyMilestones(deps(), member, '2026-12-14')).toEqual([
      { kind: 'artistPlays', artist: 'Fave', plays: 100 },
      { kind: 'yearMinutes', year: 2026, minutes: 1_000 },
    ]);
    expect(await weeklyMilestones(deps(), member, '2026-12-21')).toEqual([]);
  });
});
