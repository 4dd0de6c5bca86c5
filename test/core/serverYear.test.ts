import { describe, expect, it } from 'vitest';
import {
  buildServerYear,
  computeAwards,
  genreEntropy,
  type FirstPlay,
  type MemberYear,
} from '../../src/core/serverYear/index.js';
import { withMilestones, type ServerDigest } from '../../src/core/digest/index.js';

const member = (memberId: string, over: Partial<MemberYear> = {}): MemberYear => ({
  memberId,
  nightMs: 0,
  earlyMs: 0,
  newArtists: 0,
  genres: [],
  ...over,
});
const award = (members: MemberYear[], kind: string, firstPlays: FirstPlay[] = [], top: string[] = []) =>
  computeAwards(members, firstPlays, top).find((a) => a.kind === kind);
const MIN = 60_000;

describe('server year awards', () => {
  it('Night Owl and Early Bird: most listening in their hours; a tie is shared; nobody with none', () => {
    const members = [
      member('b', { nightMs: 90 * MIN, earlyMs: 10 * MIN }),
      member('a', { nightMs: 90 * MIN }),
      member('c', { nightMs: 30 * MIN, earlyMs: 45 * MIN }),
    ];
    expect(award(members, 'nightOwl')?.winners.map((w) => [w.memberId, w.value])).toEqual([
      ['a', 90 * MIN],
      ['b', 90 * MIN],
    ]);
    expect(award(members, 'earlyBird')?.winners.map((w) => w.memberId)).toEqual(['c']);
    expect(award([member('a'), member('b')], 'nightOwl')).toBeUndefined();
  });

  it('Explorer: most new artists, ties shared', () => {
    const members = [member('a', { newArtists: 12 }), member('b', { newArtists: 40 }), member('c', { newArtists: 40 })];
    expect(award(members, 'explorer')?.winners.map((w) => [w.memberId, w.value])).toEqual([
      ['b', 40],
      ['c', 40],
    ]);
  });

  it('Loyalist: most plays of one artist, naming the artist of each tied winner', () => {
    const members = [
      member('a', { topArtist: { name: 'Björk', plays: 300 } }),
      member('b', { topArtist: { name: 'Sade', plays: 300 } }),
      member('c', { topArtist: { name: 'Muse', plays: 299 } }),
    ];
    expect(award(members, 'loyalist')?.winners.map((w) => [w.memberId, w.about])).toEqual([
      ['a', 'Björk'],
      ['b', 'Sade'],
    ]);
  });

  it('Genre Hopper: highest Shannon entropy of genre minutes, "unclassified" ignored, ties shared', () => {
    expect(genreEntropy([{ genre: 'pop', ms: 5 }])).toEqual({ bits: 0, genres: 1 });
    expect(genreEntropy(['a', 'b', 'c', 'd'].map((genre) => ({ genre, ms: 10 }))).bits).toBeCloseTo(2);
    const even4 = ['pop', 'rock', 'jazz', 'folk'].map((genre) => ({ genre, ms: 60 * MIN }));
    const members = [
      // Many genres but one dominates: less diverse than four even ones.
      member('a', {
        genres: [
          { genre: 'pop', ms: 1000 * MIN },
          ...['rock', 'jazz', 'folk', 'metal', 'latin'].map((genre) => ({ genre, ms: MIN })),
        ],
      }),
      member('b', { genres: even4 }),
      member('c', {
        genres: [...even4.map((g) => ({ ...g, ms: g.ms * 3 })), { genre: 'unclassified', ms: 999 * MIN }],
      }),
      member('d', { genres: [{ genre: 'unclassified', ms: 5000 * MIN }] }),
    ];
    const hopper = award(members, 'genreHopper')!;
    expect(hopper.winners.map((w) => [w.memberId, w.about])).toEqual([
      ['b', '4'],
      ['c', '4'],
    ]);
    expect(hopper.winners[0]!.value).toBeCloseTo(2);
  });

  it('Trendsetter: first to the most of the server’s top 10; equal counts go to the earlier first play; exact ties shared', () => {
    const top = ['x', 'y', 'z'];
    const fp = (artistId: string, memberId: string, firstAt: number): FirstPlay => ({
      artistId,
      artist: artistId.toUpperCase(),
      memberId,
      firstAt,
    });
    // a first to x and y, b first to z: a wins with 2.
    const plays = [
      fp('x', 'a', 100),
      fp('x', 'b', 200),
      fp('y', 'a', 50),
      fp('y', 'b', 60),
      fp('z', 'b', 10),
      fp('z', 'a', 20),
    ];
    expect(award([], 'trendsetter', plays, top)?.winners).toEqual([
      { memberId: 'a', value: 2, since: 50, about: 'Y, X' },
    ]);
    // One each: the earlier first play wins (b found z at 10).
    const oneEach = [fp('x', 'a', 100), fp('z', 'b', 10), fp('z', 'a', 20)];
    expect(award([], 'trendsetter', oneEach, top)?.winners.map((w) => w.memberId)).toEqual(['b']);
    // The same moment for the same artist: both were first.
    const same = [fp('x', 'a', 100), fp('x', 'b', 100)];
    expect(award([], 'trendsetter', same, top)?.winners.map((w) => w.memberId)).toEqual(['a', 'b']);
    // An artist outside the server's top does not count.
    expect(award([], 'trendsetter', [fp('w', 'a', 1)], top)).toBeUndefined();
  });
});

describe('the server year', () => {
  it('totals only the members passed, the busiest month, genre shares of classified listening, awards in order', () => {
    const year = buildServerYear({
      year: 2026,
      fromDay: '2026-01-01',
      toDay: '2026-11-30',
      memberTotals: [
        { memberId: 'a', plays: 10, ms: 40 * MIN },
        { memberId: 'b', plays: 5, ms: 20 * MIN },
        { memberId: 'c', plays: 0, ms: 0 },
      ],
      months: [
        { month: '2026-03', ms: 20 * MIN },
        { month: '2026-07', ms: 40 * MIN },
      ],
      topArtists: [{ artistId: 'x', name: 'X', plays: 9, ms: 30 * MIN }],
      topTracks: [{ name: 'T', artists: ['X'], plays: 9 }],
      genres: [
        { genre: 'pop', ms: 30 * MIN },
        { genre: 'rock', ms: 10 * MIN },
        { genre: 'unclassified', ms: 20 * MIN },
      ],
      members: [member('a', { nightMs: MIN, earlyMs: 2 * MIN, newArtists: 1 })],
      firstPlays: [{ artistId: 'x', artist: 'X', memberId: 'a', firstAt: 1 }],
    });
    expect(year).toMatchObject({ listeners: 2, totalPlays: 15, totalMs: 60 * MIN, topMonth: { month: '2026-07' } });
    expect(year.topGenres).toEqual([
      { genre: 'pop', share: 0.75 },
      { genre: 'rock', share: 0.25 },
    ]);
    expect(year.awards.map((a) => a.kind)).toEqual(['nightOwl', 'earlyBird', 'explorer', 'trendsetter']);
  });
});

describe('milestones as digest highlights', () => {
  const digest = (memberIds: string[]): ServerDigest => ({
    kind: 'digest',
    week: '2026-12-07',
    totalMs: 0,
    totalPlays: 0,
    listeners: memberIds.length,
    topArtists: [],
    topTracks: [],
    topGenres: [],
    leaderboard: memberIds.map((memberId, i) => ({ rank: i + 1, memberId, ms: 0, movement: { kind: 'same' } })),
    highlights: [],
    clock: [],
  });

  it('each leaderboard member’s biggest milestone (a streak before minutes before plays), at most two members, in board order', () => {
    const crossed = new Map([
      ['c', [{ kind: 'artistPlays' as const, artist: 'X', plays: 1_000 }]],
      [
        'a',
        [
          { kind: 'artistPlays' as const, artist: 'Y', plays: 5_000 },
          { kind: 'streakDays' as const, days: 100 },
        ],
      ],
      ['b', []],
      ['d', [{ kind: 'yearMinutes' as const, year: 2026, minutes: 10_000 }]],
      // Not on the board (opted out, or not listening): never shown.
      ['zed', [{ kind: 'streakDays' as const, days: 1_000 }]],
    ]);
    const shown = withMilestones(digest(['a', 'b', 'c', 'd']), crossed).highlights;
    expect(shown).toEqual([
      { kind: 'milestone', memberId: 'a', milestone: { kind: 'streakDays', days: 100 } },
      { kind: 'milestone', memberId: 'c', milestone: { kind: 'artistPlays', artist: 'X', plays: 1_000 } },
    ]);
    expect(withMilestones(digest(['b']), crossed).highlights).toEqual([]);
  });
});
