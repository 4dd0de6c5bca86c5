import { describe, expect, it } from 'vitest';
import { genreDiversity, shannonEntropy } from '../../../src/core/social/index.js';

describe('shannonEntropy', () => {
  it('is 0 bits for one genre and log2(n) bits for n genres listened to equally', () => {
    expect(shannonEntropy([42])).toBe(0);
    expect(shannonEntropy([1, 1])).toBeCloseTo(1);
    expect(shannonEntropy([5, 5, 5, 5])).toBeCloseTo(2);
    expect(shannonEntropy(Array.from({ length: 8 }, () => 3))).toBeCloseTo(3);
  });

  it('is lower when the listening leans on one genre', () => {
    expect(shannonEntropy([90, 10])).toBeCloseTo(-(0.9 * Math.log2(0.9) + 0.1 * Math.log2(0.1)));
    expect(shannonEntropy([90, 10])).toBeLessThan(shannonEntropy([50, 50]));
  });

  it('ignores zero weights and is 0 for no listening at all', () => {
    expect(shannonEntropy([3, 0, 3])).toBeCloseTo(1);
    expect(shannonEntropy([])).toBe(0);
    expect(shannonEntropy([0, 0])).toBe(0);
  });
});

describe('genreDiversity', () => {
  it('leaves unclassified listening out', () => {
    expect(
      genreDiversity([
        ['rock', 100],
        ['pop', 100],
        ['unclassified', 5_000],
      ]),
    ).toBe(1);
  });

  it('rounds to hundredths so that equally diverse members tie', () => {
    const one = genreDiversity([
      ['rock', 1],
      ['pop', 2],
      ['jazz', 3],
    ]);
    const same = genreDiversity([
      ['jazz', 300_000],
      ['pop', 200_000],
      ['rock', 100_000],
    ]);
    expect(one).toBe(same);
    expect(one).toBe(1.46);
  });
});
