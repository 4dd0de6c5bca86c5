import { describe, expect, it } from 'vitest';
import { UNCLASSIFIED, detectGap, rollupDelta, rollupGenre, utcDay } from '../../../src/core/history/index.js';

const at = (iso: string) => Date.parse(iso);

describe('daily rollups', () => {
  it('counts each play once per UTC day with its ms', () => {
    const delta = rollupDelta([
      { playedAt: at('2026-11-20T23:59:59.999Z'), ms: 200_000, artistIds: ['a'], genre: 'rock' },
      { playedAt: at('2026-11-21T00:00:00.000Z'), ms: 100_000, artistIds: ['a'], genre: 'rock' },
      { playedAt: at('2026-11-21T10:00:00.000Z'), ms: 50_000, artistIds: ['b'], genre: 'pop' },
    ]);
    expect(delta.daily).toEqual([
      { day: '2026-11-20', plays: 1, ms: 200_000 },
      { day: '2026-11-21', plays: 2, ms: 150_000 },
    ]);
  });

  it('gives every distinct credited artist the play and its ms, so featured artists count too', () => {
    const delta = rollupDelta([
      { playedAt: at('2026-11-21T10:00:00Z'), ms: 180_000, artistIds: ['main', 'feat'], genre: 'hip-hop' },
      { playedAt: at('2026-11-21T11:00:00Z'), ms: 120_000, artistIds: ['main', 'main'], genre: 'hip-hop' },
    ]);
    expect(delta.artists).toEqual([
      { day: '2026-11-21', artistId: 'feat', plays: 1, ms: 180_000 },
      { day: '2026-11-21', artistId: 'main', plays: 2, ms: 300_000 },
    ]);
  });

  it('counts each play for exactly one genre, so per day the genres add up to the plays', () => {
    const plays = Array.from({ length: 30 }, (_, i) => ({
      playedAt: at('2026-11-21T00:00:00Z') + i * 3_600_000,
      ms: 1_000 * (i + 1),
      artistIds: [`a${i % 4}`],
      genre: ['rock', 'pop', UNCLASSIFIED][i % 3]!,
    }));
    const delta = rollupDelta(plays);
    for (const day of delta.daily) {
      const genres = delta.genres.filter((g) => g.day === day.day);
      expect(genres.reduce((n, g) => n + g.plays, 0)).toBe(day.plays);
      expect(genres.reduce((n, g) => n + g.ms, 0)).toBe(day.ms);
    }
    expect(delta.daily.reduce((n, d) => n + d.plays, 0)).toBe(30);
  });

  it('returns rows sorted by key, the order every writer upserts in', () => {
    const delta = rollupDelta([
      { playedAt: at('2026-11-22T10:00:00Z'), ms: 1, artistIds: ['z', 'a'], genre: 'rock' },
      { playedAt: at('2026-11-21T10:00:00Z'), ms: 1, artistIds: ['m'], genre: 'pop' },
    ]);
    expect(delta.artists.map((r) => `${r.day}/${r.artistId}`)).toEqual([
      '2026-11-21/m',
      '2026-11-22/a',
      '2026-11-22/z',
    ]);
    expect(delta.genres.map((r) => `${r.day}/${r.genre}`)).toEqual(['2026-11-21/pop', '2026-11-22/rock']);
  });

  it('adds nothing for no plays', () => {
    expect(rollupDelta([])).toEqual({ daily: [], artists: [], genres: [] });
  });

  it('days are UTC calendar days', () => {
    expect(utcDay(at('2026-03-29T00:30:00+02:00'))).toBe('2026-03-28');
  });
});

describe('the genre a play counts for', () => {
  it('is the parent genre of the main artist first', () => {
    expect(rollupGenre([['uk drill'], ['indie rock']])).toBe('hip-hop');
  });
  it('falls back to a featured artist when the main artist has none', () => {
    expect(rollupGenre([[], ['deep house']])).toBe('electronic');
  });
  it('is "unclassified" when no artist has a known genre, never dropped', () => {
    expect(rollupGenre([undefined, []])).toBe(UNCLASSIFIED);
    expect(rollupGenre([])).toBe(UNCLASSIFIED);
    expect(rollupGenre([['zzz not a genre']])).toBe(UNCLASSIFIED);
  });
});

describe('gap detection', () => {
  const page = (newest: number, n: number) => Array.from({ length: n }, (_, i) => newest - i * 180_000);
  it('records (cursor, oldest) when a full page is all newer than the cursor', () => {
    const times = page(10_000_000_000, 50);
    expect(detectGap(1_000, times)).toEqual({ from: 1_000, to: Math.min(...times) });
  });
  it('records nothing when the page reaches back to the cursor or is not full', () => {
    const times = page(10_000_000_000, 50);
    expect(detectGap(Math.min(...times), times)).toBeUndefined();
    expect(detectGap(1_000, times.slice(0, 49))).toBeUndefined();
  });
  it('records nothing on a first poll: history starts there', () => {
    expect(detectGap(undefined, page(10_000_000_000, 50))).toBeUndefined();
  });
});
