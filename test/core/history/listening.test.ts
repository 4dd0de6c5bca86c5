import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  gapsWithin,
  isTimeZone,
  listeningClock,
  localWeekdayHour,
  matchTimeZones,
  offsetsIn,
  periodRange,
  timeZoneOffset,
  utcDaysOf,
  weekOf,
  weeklyGenreMix,
} from '../../../src/core/history/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A play that ended at `end` after `minutes` minutes (its middle decides its hour). */
const play = (end: string, minutes = 2) => ({ playedAt: Date.parse(end), ms: minutes * MIN });

describe('time zones', () => {
  it('knows IANA names, spells them canonically and refuses anything else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone(' America/New_York ')).toBe('America/New_York');
    expect(canonicalTimeZone('Not/A_Zone')).toBeUndefined();
  });

  it('offers at most 25 matches, names starting with what was typed first, cities by their name', () => {
    expect(matchTimeZones('')).toHaveLength(25);
    expect(matchTimeZones('america').length).toBe(25);
    expect(matchTimeZones('europe/pa')).toEqual(['Europe/Paris']);
    expect(matchTimeZones('new york')).toEqual(['America/New_York']);
    expect(matchTimeZones('tokyo')[0]).toBe('Asia/Tokyo');
    expect(matchTimeZones('zzzz')).toEqual([]);
  });

  it('measures offsets across a DST change (New York springs forward at 07:00 UTC on 8 March 2026)', () => {
    expect(timeZoneOffset('America/New_York', Date.parse('2026-03-08T06:59:00Z'))).toBe(-5 * HOUR);
    expect(timeZoneOffset('America/New_York', Date.parse('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    expect(timeZoneOffset('Asia/Kolkata', Date.parse('2026-06-01T00:00:00Z'))).toBe(5.5 * HOUR);
    // The memoised lookup agrees with the exact one every 10 minutes of the change day and around it.
    const memo = offsetsIn('America/New_York');
    for (let at = Date.parse('2026-03-07T00:00:00Z'); at < Date.parse('2026-03-10T00:00:00Z'); at += 10 * MIN)
      expect(memo(at), new Date(at).toISOString()).toBe(timeZoneOffset('America/New_York', at));
  });

  it('puts an instant on its local weekday and hour (Monday = 0)', () => {
    const utc = offsetsIn('UTC');
    expect(localWeekdayHour(Date.parse('2026-11-30T13:20:00Z'), utc)).toMatchObject({ weekday: 0, hour: 13 });
    expect(localWeekdayHour(Date.parse('2026-12-06T23:59:00Z'), utc)).toMatchObject({ weekday: 6, hour: 23 });
    // Sunday 23:30 UTC is already Monday 08:30 in Tokyo, and still Sunday 15:30 in Los Angeles.
    const at = Date.parse('2026-12-06T23:30:00Z');
    expect(localWeekdayHour(at, offsetsIn('Asia/Tokyo'))).toMatchObject({ weekday: 0, hour: 8 });
    expect(localWeekdayHour(at, offsetsIn('America/Los_Angeles'))).toMatchObject({ weekday: 6, hour: 15 });
    // Before 1970 too.
    expect(localWeekdayHour(Date.parse('1969-12-29T05:00:00Z'), utc)).toMatchObject({ weekday: 0, hour: 5 });
  });
});

describe('listeningClock', () => {
  it('counts each play’s minutes in the local hour its middle falls in', () => {
    const cells = listeningClock([play('2026-11-30T08:10:00Z', 4), play('2026-11-30T08:50:00Z', 3)], 'Europe/Paris');
    expect(cells).toEqual([{ weekday: 0, hour: 9, minutes: 7, plays: 2 }]);
    // A play ending at 10:01 after 4 minutes happened mostly in the 9 o'clock hour.
    expect(listeningClock([play('2026-11-30T10:01:00Z', 4)], 'UTC')).toEqual([
      { weekday: 0, hour: 9, minutes: 4, plays: 1 },
    ]);
  });

  it('follows the DST change: the same UTC hour is a different local hour after New York springs forward', () => {
    // Saturday 7 March 2026 14:30 UTC = 09:30 EST; Monday 9 March 14:30 UTC = 10:30 EDT.
    const cells = listeningClock(
      [
        play('2026-03-07T14:31:00Z'),
        play('2026-03-09T14:31:00Z'),
        play('2026-03-08T06:31:00Z'),
        play('2026-03-08T07:31:00Z'),
      ],
      'America/New_York',
    );
    expect(cells.map((c) => `${c.weekday}@${c.hour}`)).toEqual([
      '0@10', // Monday 10:30 EDT
      '5@9', // Saturday 09:30 EST
      '6@1', // Sunday 01:30 EST, just before the change
      '6@3', // Sunday 03:30 EDT, just after (02:xx does not exist that night)
    ]);
    // Europe falls back on 25 October 2026 at 01:00 UTC: 00:30 and 01:30 UTC are 02:30 CEST and 02:30 CET.
    const fallBack = listeningClock([play('2026-10-25T00:31:00Z'), play('2026-10-25T01:31:00Z')], 'Europe/Berlin');
    expect(fallBack).toEqual([{ weekday: 6, hour: 2, minutes: 4, plays: 2 }]);
  });

  it('is the same whatever the order of the plays and ignores nothing (total minutes kept)', () => {
    const plays = Array.from({ length: 500 }, (_, i) => ({
      playedAt: Date.UTC(2026, 0, 1) + i * 37 * MIN,
      ms: 3 * MIN,
    }));
    const a = listeningClock(plays, 'Australia/Adelaide');
    const b = listeningClock([...plays].reverse(), 'Australia/Adelaide');
    expect(b).toEqual(a);
    expect(a.reduce((s, c) => s + c.minutes, 0)).toBeCloseTo(1500);
    expect(a.reduce((s, c) => s + c.plays, 0)).toBe(500);
  });
});

describe('periods and weeks', () => {
  it('ends periods now, in whole UTC days (today so far and the days before), as the rollups count them', () => {
    const now = Date.parse('2026-11-30T19:00:00Z');
    expect(periodRange('week', now)).toEqual({ from: Date.parse('2026-11-24T00:00:00Z'), to: now });
    expect(periodRange('all', now).from).toBe(0);
    expect(utcDaysOf(periodRange('week', now))).toEqual({ fromDay: '2026-11-24', toDay: '2026-11-30' });
    expect(utcDaysOf(periodRange('month', now))).toEqual({ fromDay: '2026-11-01', toDay: '2026-11-30' });
    expect(utcDaysOf(periodRange('year', now))).toEqual({ fromDay: '2025-12-01', toDay: '2026-11-30' });
    // Just after midnight, "the past 7 days" are six whole days and a minute.
    const early = Date.parse('2026-11-30T00:01:00Z');
    expect(early - periodRange('week', early).from).toBe(6 * DAY + MIN);
  });

  it('groups UTC days into weeks from Monday and gives each week’s genre shares', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
    expect(weekOf('2026-12-06')).toBe('2026-11-30');
    expect(weekOf('2026-12-07')).toBe('2026-12-07');
    const mix = weeklyGenreMix([
      { day: '2026-11-29', genre: 'rock', ms: 100 },
      { day: '2026-11-30', genre: 'rock', ms: 300 },
      { day: '2026-12-01', genre: 'unclassified', ms: 100 },
      { day: '2026-12-02', genre: 'jazz', ms: 0 },
    ]);
    expect(mix.filter((p) => p.week === '2026-11-23')).toEqual([
      { week: '2026-11-23', genre: expect.stringMatching(/rock/i), share: 1 },
    ]);
    const thisWeek = mix.filter((p) => p.week === '2026-11-30');
    expect(thisWeek.map((p) => p.share).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(thisWeek.find((p) => p.genre === 'Unclassified')?.share).toBeCloseTo(0.25);
  });

  it('keeps only the gaps that touch the period', () => {
    const gaps = [
      { from: 0, to: 10 },
      { from: 50, to: 60 },
      { from: 95, to: 120 },
    ];
    expect(gapsWithin(gaps, { from: 55, to: 100 })).toEqual([gaps[1], gaps[2]]);
  });
});
