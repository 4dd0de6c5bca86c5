import { describe, expect, it } from 'vitest';
import { LOVED_PLAYS, compatibility, type TasteInput } from '../../../src/core/taste/index.js';

/** A taste from "artist id: plays" pairs and "genre: plays" pairs; names are derived from ids. */
function taste(artists: Record<string, number>, genres: Record<string, number> = {}): TasteInput {
  return {
    artists: Object.entries(artists)
      .sort((x, y) => y[1] - x[1])
      .map(([id, plays]) => ({ id, name: `Name of ${id}`, plays })),
    genres: Object.entries(genres)
      .sort((x, y) => y[1] - x[1])
      .map(([genre, plays]) => ({ genre, plays })),
  };
}

describe('compatibility', () => {
  it('scores the same taste 100, whatever the volume of listening', () => {
    const light = taste({ a: 10, b: 5, c: 1 }, { rock: 12, pop: 4 });
    const heavy = taste({ a: 1000, b: 500, c: 100 }, { rock: 1200, pop: 400 });
    expect(compatibility(light, heavy).score).toBe(100);
  });

  it('scores nothing in common 0', () => {
    const result = compatibility(taste({ a: 10 }, { rock: 10 }), taste({ b: 10 }, { jazz: 10 }));
    expect(result.score).toBe(0);
    expect(result.sharedArtists).toEqual([]);
  });

  it('is symmetric, with a and b swapped in what it lists', () => {
    const a = taste({ x: 40, y: 10, z: 3 }, { rock: 40, pop: 13 });
    const b = taste({ y: 30, w: 20, x: 2 }, { pop: 30, rock: 22 });
    const ab = compatibility(a, b);
    const ba = compatibility(b, a);
    expect(ba.score).toBe(ab.score);
    expect(ba.tryForA).toEqual(ab.tryForB);
    expect(ba.sharedArtists).toEqual(ab.sharedArtists.map((s) => ({ ...s, aPlays: s.bPlays, bPlays: s.aPlays })));
  });

  it('ranks a pair sharing artists above a pair sharing only genres, and both above strangers', () => {
    const me = taste({ a: 50, b: 30, c: 20 }, { rock: 100 });
    const sameArtists = taste({ a: 20, b: 40, d: 40 }, { rock: 60, pop: 40 });
    const sameGenre = taste({ e: 50, f: 50 }, { rock: 100 });
    const stranger = taste({ g: 100 }, { jazz: 100 });
    const scores = [sameArtists, sameGenre, stranger].map((other) => compatibility(me, other).score);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    // Genres alone count for their 40 %.
    expect(scores[1]).toBe(40);
  });

  it('does not let one artist on repeat decide the score', () => {
    const me = taste({ a: 10, b: 10, c: 10, d: 10 });
    const obsessed = taste({ a: 10_000, b: 1, c: 1, d: 1 });
    const casual = taste({ a: 10, b: 10, c: 10, d: 10, e: 10 });
    expect(compatibility(me, obsessed).score).toBeGreaterThan(70);
    expect(compatibility(me, casual).score).toBeGreaterThan(compatibility(me, obsessed).score);
  });

  it('lists the artists both love, the most evenly loved first, with each side’s plays', () => {
    const a = taste({ one: 100, two: 50, three: 5, mine: 10 });
    const b = taste({ one: 5, two: 40, three: 60, theirs: 10 });
    expect(compatibility(a, b).sharedArtists).toEqual([
      { id: 'two', name: 'Name of two', aPlays: 50, bPlays: 40 },
      { id: 'one', name: 'Name of one', aPlays: 100, bPlays: 5 },
      { id: 'three', name: 'Name of three', aPlays: 5, bPlays: 60 },
    ]);
  });

  it(`does not call an artist loved by both until each played it ${LOVED_PLAYS} times`, () => {
    const a = taste({ twice: 2, almost: 4, loved: 5, mine: 30 }, { rock: 10 });
    const b = taste({ twice: 2, almost: 40, loved: 5, theirs: 30 }, { rock: 10 });
    const result = compatibility(a, b);
    expect(result.sharedArtists.map((x) => x.id)).toEqual(['loved']);
    // The score still counts every artist they share.
    expect(result.score).toBeGreaterThan(compatibility(taste({ mine: 30 }, { rock: 10 }), b).score);
  });

  it("suggests to each the other's most played artist they never played", () => {
    const a = taste({ shared: 50, aFav: 40, aSecond: 5 });
    const b = taste({ bFav: 80, shared: 60, bSecond: 70 });
    const result = compatibility(a, b);
    expect(result.tryForA).toEqual({ id: 'bFav', name: 'Name of bFav' });
    expect(result.tryForB).toEqual({ id: 'aFav', name: 'Name of aFav' });
  });

  it('has nothing to suggest when one already plays every favourite of the other', () => {
    const result = compatibility(taste({ x: 5, y: 3, z: 1 }), taste({ x: 1, y: 9 }));
    expect(result.tryForA).toBeUndefined();
    expect(result.tryForB).toEqual({ id: 'z', name: 'Name of z' });
  });

  it('scores an empty profile 0 and suggests nothing to it from nothing', () => {
    const result = compatibility(taste({}), taste({ a: 3 }, { rock: 3 }));
    expect(result).toEqual({
      score: 0,
      sharedArtists: [],
      tryForA: { id: 'a', name: 'Name of a' },
      tryForB: undefined,
    });
  });

  it('lets the genres alone decide when neither side has artists (and the artists alone without genres)', () => {
    expect(compatibility(taste({}, { rock: 5 }), taste({}, { rock: 9 })).score).toBe(100);
    expect(compatibility(taste({ a: 5 }), taste({ a: 1 })).score).toBe(100);
  });

  it('returns an integer between 0 and 100', () => {
    const result = compatibility(
      taste({ a: 7, b: 3 }, { rock: 7, pop: 3 }),
      taste({ a: 1, c: 9 }, { pop: 9, rock: 1 }),
    );
    expect(Number.isInteger(result.score)).toBe(true);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(100);
  });
});
