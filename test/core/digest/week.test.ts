import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  digestNonce,
  digestPeriod,
  dueDecision,
  latestOccurrence,
  nextOccurrence,
  timeZoneChoices,
  zonedHourToUtc,
  type DigestSchedule,
} from '../../../src/core/digest/index.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every post time from `start` for `weeks` weeks, as the job would find them ticking every 2 minutes. */
function postsByTicking(schedule: DigestSchedule, start: number, weeks: number) {
  const handled = new Set<string>();
  const posts: Array<{ week: string; at: number }> = [];
  for (let now = start; now < start + weeks * 7 * 24 * HOUR; now += 2 * 60_000) {
    const d = dueDecision(schedule, now, (w) => handled.has(w), start);
    if (d.kind === 'post') {
      handled.add(d.occurrence.week);
      posts.push({ week: d.occurrence.week, at: now });
    }
  }
  return posts;
}

describe('weekly post times in the server’s time zone', () => {
  it('Monday 09:00 Europe/Berlin is 08:00 UTC in summer time and 08:00 UTC+1 → 08:00 after the last Sunday of October', () => {
    const berlin: DigestSchedule = { weekday: 1, hour: 9, timeZone: 'Europe/Berlin' };
    // 2026-10-25 is the last Sunday of October: CEST (UTC+2) ends at 03:00 local.
    const before = latestOccurrence(berlin, at('2026-10-20T12:00:00Z'));
    expect(before).toEqual({ week: '2026-10-19', postAt: at('2026-10-19T07:00:00Z') });
    const after = nextOccurrence(berlin, before.postAt);
    expect(after).toEqual({ week: '2026-10-26', postAt: at('2026-10-26T08:00:00Z') });
    expect(after.postAt - before.postAt).toBe(169 * HOUR);
  });

  it('America/New_York in March: the week across the spring change is 167 hours long', () => {
    const ny: DigestSchedule = { weekday: 1, hour: 9, timeZone: 'America/New_York' };
    // 2027-03-14 (second Sunday of March): EST → EDT.
    const before = latestOccurrence(ny, at('2027-03-09T00:00:00Z'));
    expect(before).toEqual({ week: '2027-03-08', postAt: at('2027-03-08T14:00:00Z') });
    const after = nextOccurrence(ny, before.postAt);
    expect(after).toEqual({ week: '2027-03-15', postAt: at('2027-03-15T13:00:00Z') });
    expect(after.postAt - before.postAt).toBe(167 * HOUR);
  });

  it.each([
    ['Europe/Berlin', '2026-10-05T00:00:00Z'],
    ['America/New_York', '2027-02-22T00:00:00Z'],
    ['America/New_York', '2026-10-19T00:00:00Z'],
    ['Europe/Berlin', '2027-03-15T00:00:00Z'],
  ])('ticking every 2 minutes for 6 weeks in %s from %s posts each week once, at its local hour', (zone, start) => {
    const schedule: DigestSchedule = { weekday: 1, hour: 9, timeZone: zone };
    const posts = postsByTicking(schedule, at(start), 6);
    expect(posts).toHaveLength(6);
    expect(new Set(posts.map((p) => p.week)).size).toBe(6);
    for (const p of posts) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        weekday: 'long',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(p.at);
      expect(local).toMatch(/^Monday,? 09$/);
    }
  });

  it('an hour the spring-forward gap skips resolves to the first moment after it', () => {
    // 02:00 does not exist in Berlin on 2027-03-28; 03:00 CEST = 01:00 UTC.
    expect(iso(zonedHourToUtc('2027-03-28', 2, 'Europe/Berlin'))).toBe('2027-03-28T01:00:00.000Z');
  });

  it('an hour that happens twice (the autumn change) is its first occurrence', () => {
    // 02:00 happens twice in Berlin on 2026-10-25: first at 00:00 UTC (CEST).
    expect(iso(zonedHourToUtc('2026-10-25', 2, 'Europe/Berlin'))).toBe('2026-10-25T00:00:00.000Z');
  });
});

describe('what a tick decides', () => {
  const utc: DigestSchedule = { weekday: 1, hour: 9, timeZone: 'UTC' };
  const monday = at('2026-11-30T09:00:00Z');
  it('posts on time, late within a day (with the note), and skips more than a day late', () => {
    const enabled = monday - 30 * 24 * HOUR;
    expect(dueDecision(utc, monday + 60_000, () => false, enabled)).toMatchObject({ kind: 'post', late: false });
    expect(dueDecision(utc, monday + 5 * HOUR, () => false, enabled)).toMatchObject({ kind: 'post', late: true });
    expect(dueDecision(utc, monday + 25 * HOUR, () => false, enabled)).toMatchObject({ kind: 'skip' });
    expect(dueDecision(utc, monday + 60_000, () => true, enabled)).toEqual({ kind: 'none' });
  });
  it('a week whose time passed before the digest was turned on is never due', () => {
    expect(dueDecision(utc, monday + HOUR, () => false, monday + 60_000)).toEqual({ kind: 'none' });
  });
  it('covers the seven UTC days before the post’s local date', () => {
    expect(digestPeriod('2026-11-30')).toEqual({
      fromDay: '2026-11-23',
      toDay: '2026-11-29',
      from: at('2026-11-23T00:00:00Z'),
      to: at('2026-11-30T00:00:00Z'),
    });
  });
});

describe('nonces and time zones', () => {
  it('a nonce is at most 25 characters, the same for a (guild, week), different across weeks and guilds', () => {
    const a = digestNonce('12345678901234567890', '2026-11-30');
    expect(a.length).toBeLessThanOrEqual(25);
    expect(digestNonce('12345678901234567890', '2026-11-30')).toBe(a);
    expect(digestNonce('12345678901234567890', '2026-12-07')).not.toBe(a);
    expect(digestNonce('12345678901234567891', '2026-11-30')).not.toBe(a);
  });
  it('time zones are validated by Intl and stored in their canonical spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
    expect(timeZoneChoices('berl')).toContain('Europe/Berlin');
    expect(timeZoneChoices('')).toHaveLength(25);
  });
});
