import { describe, expect, it } from 'vitest';
import { buildServerDigest, genreEntropy, movement, type DigestInput } from '../../../src/core/digest/index.js';

const week = (rows: Array<[string, number]>) =>
  rows.map(([memberId, minutes]) => ({ memberId, ms: minutes * 60_000, plays: minutes }));
const input = (over: Partial<DigestInput>): DigestInput => ({
  week: '2026-11-30',
  thisWeek: [],
  lastWeek: [],
  topArtists: [],
  topTracks: [],
  genres: [],
  lastWeekGenres: [],
  discoveries: [],
  ...over,
});

describe('the server digest', () => {
  it('is a short note when fewer than two members played anything', () => {
    expect(
      buildServerDigest(
        input({
          thisWeek: week([
            ['a', 30],
            ['b', 0],
          ]),
        }),
      ),
    ).toEqual({ kind: 'quiet', week: '2026-11-30' });
  });

  it('ranks by minutes with movement against last week: ▲, ▼, same and NEW', () => {
    const digest = buildServerDigest(
      input({
        thisWeek: week([
          ['a', 10],
          ['b', 50],
          ['c', 30],
          ['d', 20],
        ]),
        lastWeek: week([
          ['a', 90],
          ['b', 80],
          ['c', 10],
        ]),
      }),
    );
    if (digest.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.leaderboard.map((r) => [r.memberId, r.rank, r.movement])).toEqual([
      ['b', 1, { kind: 'up', by: 1 }],
      ['c', 2, { kind: 'up', by: 1 }],
      ['d', 3, { kind: 'new' }],
      ['a', 4, { kind: 'down', by: 3 }],
    ]);
    expect(digest.totalMs).toBe(110 * 60_000);
    expect(digest.listeners).toBe(4);
  });

  it('shows ten on the leaderboard and names the biggest climber (two places or more)', () => {
    const names = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const digest = buildServerDigest(
      input({
        thisWeek: week(names.map((n, i) => [n, i === 11 ? 500 : 100 - i])),
        lastWeek: week(names.map((n, i) => [n, 100 - i])),
        discoveries: [{ artistId: 'x', name: 'New Band', plays: 7, ms: 1 }],
      }),
    );
    if (digest.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.leaderboard).toHaveLength(10);
    expect(digest.highlights).toEqual([
      { kind: 'discovery', artist: 'New Band', plays: 7 },
      { kind: 'climber', memberId: 'm11', by: 11 },
    ]);
  });

  it('without a climber, a genre that rose or fell by five points or more', () => {
    const digest = buildServerDigest(
      input({
        thisWeek: week([
          ['a', 10],
          ['b', 10],
        ]),
        lastWeek: week([
          ['a', 10],
          ['b', 10],
        ]),
        genres: [
          { genre: 'rock', ms: 20, plays: 2 },
          { genre: 'jazz', ms: 80, plays: 8 },
        ],
        lastWeekGenres: [
          { genre: 'rock', ms: 70, plays: 7 },
          { genre: 'jazz', ms: 30, plays: 3 },
        ],
      }),
    );
    if (digest.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.highlights).toEqual([{ kind: 'genreShift', genre: 'jazz', change: expect.closeTo(0.5, 5) }]);
    expect(digest.topGenres.map((g) => g.genre)).toEqual(['jazz', 'rock']);
  });

  it('names the member with the most diverse week (genre entropy, unclassified left out)', () => {
    expect(
      genreEntropy(
        new Map([
          ['a', 1],
          ['b', 1],
          ['c', 1],
          ['d', 1],
        ]),
      ),
    ).toBeCloseTo(2);
    expect(
      genreEntropy(
        new Map([
          ['a', 5],
          ['unclassified', 100],
        ]),
      ),
    ).toBe(0);
    const digest = buildServerDigest(
      input({
        thisWeek: week([
          ['a', 10],
          ['b', 10],
        ]),
        lastWeek: week([
          ['a', 10],
          ['b', 10],
        ]),
        memberGenres: [
          ...['rock', 'jazz', 'pop', 'folk'].map((genre) => ({ memberId: 'b', genre, ms: 10 })),
          { memberId: 'a', genre: 'rock', ms: 40 },
          // Someone not in this week's ranking (opted out, or no plays) is never named.
          ...['x', 'y', 'z', 'w', 'v'].map((genre) => ({ memberId: 'outsider', genre, ms: 10 })),
        ],
      }),
    );
    if (digest.kind !== 'digest') throw new Error('expected a digest');
    expect(digest.highlights).toEqual([{ kind: 'diverse', memberId: 'b', genres: 4 }]);
  });

  it('movement marks', () => {
    expect(movement(3, undefined)).toEqual({ kind: 'new' });
    expect(movement(1, 3)).toEqual({ kind: 'up', by: 2 });
    expect(movement(4, 3)).toEqual({ kind: 'down', by: 1 });
    expect(movement(2, 2)).toEqual({ kind: 'same' });
  });
});
