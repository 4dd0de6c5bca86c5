import { describe, expect, it } from 'vitest';
import {
  artistSpans,
  discoveryMarks,
  runningSums,
  totalsByKey,
  type DayMarks,
} from '../../../src/core/social/index.js';

const span = (id: string, first: string, last = first, plays = 1, ms = 1000) => ({ id, plays, ms, first, last });

describe('artistSpans', () => {
  it('sums each artist over the days and keeps its first and last day, artists in id order', () => {
    expect(
      artistSpans([
        { day: '2026-11-03', artistId: 'b', plays: 2, ms: 400 },
        { day: '2026-11-01', artistId: 'a', plays: 1, ms: 100 },
        { day: '2026-10-30', artistId: 'b', plays: 1, ms: 50 },
        { day: '2026-11-02', artistId: 'b', plays: 3, ms: 600 },
      ]),
    ).toEqual([
      { id: 'a', plays: 1, ms: 100, first: '2026-11-01', last: '2026-11-01' },
      { id: 'b', plays: 6, ms: 1050, first: '2026-10-30', last: '2026-11-03' },
    ]);
  });
});

describe('discoveryMarks', () => {
  it('counts an artist never played before as a discovery and a last play on its days', () => {
    expect(discoveryMarks([span('a', '2026-10-31', '2026-11-02'), span('b', '2026-11-02')], new Map())).toEqual({
      newArtists: 2,
      days: [
        { day: '2026-10-31', firsts: 1, lasts: 0 },
        { day: '2026-11-02', firsts: 1, lasts: 2 },
      ],
      months: [{ month: '2026-11-01', lasts: 2 }],
    });
  });

  it('moves a known artist’s last play to the newer day, across months, and leaves its discovery alone', () => {
    const before = new Map([['a', { first: '2026-09-10', last: '2026-10-31' }]]);
    expect(discoveryMarks([span('a', '2026-11-01')], before)).toEqual({
      newArtists: 0,
      days: [
        { day: '2026-10-31', firsts: 0, lasts: -1 },
        { day: '2026-11-01', firsts: 0, lasts: 1 },
      ],
      months: [
        { month: '2026-10-01', lasts: -1 },
        { month: '2026-11-01', lasts: 1 },
      ],
    });
  });

  it('moves a discovery back when an import brings an older first play, and the last play stays', () => {
    const before = new Map([['a', { first: '2026-11-05', last: '2026-11-20' }]]);
    expect(discoveryMarks([span('a', '2025-03-01', '2026-11-10')], before)).toEqual({
      newArtists: 0,
      days: [
        { day: '2025-03-01', firsts: 1, lasts: 0 },
        { day: '2026-11-05', firsts: -1, lasts: 0 },
      ],
      months: [],
    });
  });

  it('changes nothing for plays on the artist’s known days, and leaves out a month whose moves cancel', () => {
    const before = new Map([
      ['a', { first: '2026-11-01', last: '2026-11-30' }],
      ['b', { first: '2026-11-01', last: '2026-11-02' }],
    ]);
    expect(discoveryMarks([span('a', '2026-11-01', '2026-11-30'), span('b', '2026-11-03')], before)).toEqual({
      newArtists: 0,
      days: [
        { day: '2026-11-02', firsts: 0, lasts: -1 },
        { day: '2026-11-03', firsts: 0, lasts: 1 },
      ],
      months: [],
    });
  });

  it('added up batch by batch, in any order, equals a recount of every play (what rebuildSocialTotals writes)', () => {
    // A small deterministic generator: polls bring new days, imports older ones, artists recur.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const stored = new Map<string, { first: string; last: string }>();
    const days = new Map<string, DayMarks>();
    const months = new Map<string, number>();
    let artists = 0;
    const all: Array<{ day: string; artistId: string; plays: number; ms: number }> = [];
    for (let batch = 0; batch < 60; batch++) {
      const rows = Array.from({ length: 1 + next(8) }, () => ({
        day: day(next(500)),
        artistId: `artist-${next(25)}`,
        plays: 1,
        ms: 1000,
      }));
      all.push(...rows);
      const spans = artistSpans(rows);
      const delta = discoveryMarks(spans, stored);
      artists += delta.newArtists;
      for (const d of delta.days) {
        const row = days.get(d.day) ?? { day: d.day, firsts: 0, lasts: 0 };
        row.firsts += d.firsts;
        row.lasts += d.lasts;
        if (row.firsts === 0 && row.lasts === 0) days.delete(d.day);
        else days.set(d.day, row);
      }
      for (const m of delta.months) {
        const lasts = (months.get(m.month) ?? 0) + m.lasts;
        if (lasts === 0) months.delete(m.month);
        else months.set(m.month, lasts);
      }
      for (const s of spans) {
        const old = stored.get(s.id);
        stored.set(s.id, {
          first: old && old.first < s.first ? old.first : s.first,
          last: old && old.last > s.last ? old.last : s.last,
        });
      }
    }
    const recount = artistSpans(all);
    const expectedDays = new Map<string, DayMarks>();
    const expectedMonths = new Map<string, number>();
    for (const a of recount) {
      for (const [d, firsts, lasts] of [
        [a.first, 1, 0],
        [a.last, 0, 1],
      ] as const) {
        const row = expectedDays.get(d) ?? { day: d, firsts: 0, lasts: 0 };
        row.firsts += firsts;
        row.lasts += lasts;
        expectedDays.set(d, row);
      }
      const month = `${a.last.slice(0, 7)}-01`;
      expectedMonths.set(month, (expectedMonths.get(month) ?? 0) + 1);
    }
    expect(artists).toBe(recount.length);
    expect(new Map([...days].sort())).toEqual(new Map([...expectedDays].sort()));
    expect(new Map([...months].sort())).toEqual(new Map([...expectedMonths].sort()));
  });
});

describe('totalsByKey', () => {
  it('sums plays and ms per key, keys in order', () => {
    expect(
      totalsByKey(
        [
          { id: 't2', ms: 10 },
          { id: 't1', ms: 5 },
          { id: 't2', ms: 0 },
        ],
        (r) => r.id,
        () => 1,
        (r) => r.ms,
      ),
    ).toEqual([
      { key: 't1', plays: 1, ms: 5 },
      { key: 't2', plays: 2, ms: 10 },
    ]);
  });
});

describe('runningSums', () => {
  it('carries on from the last sum before the days, each day a snapshot of its own', () => {
    const sums = runningSums({ plays: 10, ms: 1000, firsts: 3, genreMs: { rock: 1000 } }, [
      { day: '2026-11-01', plays: 2, ms: 200, firsts: 1, genreMs: { rock: 150, jazz: 50 } },
      { day: '2026-11-02', plays: 1, ms: 100, firsts: 0, genreMs: null },
    ]);
    expect(sums).toEqual([
      { day: '2026-11-01', plays: 12, ms: 1200, firsts: 4, genreMs: { rock: 1150, jazz: 50 } },
      { day: '2026-11-02', plays: 13, ms: 1300, firsts: 4, genreMs: { rock: 1150, jazz: 50 } },
    ]);
    expect(sums[0]!.genreMs).not.toBe(sums[1]!.genreMs);
  });

  it('starts from nothing, and a genre enters the sums only once it has listening time', () => {
    expect(runningSums(undefined, [{ day: '2026-11-01', plays: 1, ms: 0, firsts: 1, genreMs: { rock: 0 } }])).toEqual([
      { day: '2026-11-01', plays: 1, ms: 0, firsts: 1, genreMs: {} },
    ]);
  });
});
