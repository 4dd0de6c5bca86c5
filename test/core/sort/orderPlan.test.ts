import { describe, expect, it } from 'vitest';
import {
  applyOrderPlan,
  applyReorder,
  longestIncreasingSubsequence,
  planOrderChange,
} from '../../../src/core/sort/index.js';
import { seededRandom, shuffle } from '../random.js';

const uris = (n: number) => Array.from({ length: n }, (_, i) => `spotify:track:t${i}`);
const identity = (n: number) => Array.from({ length: n }, (_, i) => i);
const targetUris = (current: readonly string[], target: readonly number[]) => target.map((i) => current[i]!);

/** A playlist with repeated tracks and local files mixed in, as real playlists have. */
function messyPlaylist(size: number, random: () => number): string[] {
  return Array.from({ length: size }, (_, i) => {
    const roll = random();
    if (roll < 0.1) return `spotify:local:Artist:Album:song${i}:180`;
    if (roll < 0.25 && i > 0) return `spotify:track:t${Math.floor(random() * i)}`; // a duplicate of an earlier URI
    return `spotify:track:t${i}`;
  });
}

/** A target that is "nearly sorted": a few runs cut out and pasted elsewhere, as after a small edit. */
function fewMoves(size: number, moves: number, random: () => number): number[] {
  const order = identity(size);
  for (let m = 0; m < moves && size > 1; m++) {
    const start = Math.floor(random() * size);
    const length = 1 + Math.floor(random() * Math.min(5, size - start));
    const run = order.splice(start, length);
    order.splice(Math.floor(random() * (order.length + 1)), 0, ...run);
  }
  return order;
}

describe('planOrderChange', () => {
  it('needs no call when the playlist is already in the target order', () => {
    expect(planOrderChange(uris(250), identity(250))).toEqual({ kind: 'reorder', operations: [], calls: 0 });
    expect(planOrderChange([], [])).toEqual({ kind: 'reorder', operations: [], calls: 0 });
  });

  it('moves one misplaced track with one reorder call', () => {
    const current = uris(500);
    const target = [...identity(500).filter((i) => i !== 420)];
    target.splice(3, 0, 420);
    const plan = planOrderChange(current, target);
    expect(plan).toEqual({
      kind: 'reorder',
      operations: [{ range_start: 420, range_length: 1, insert_before: 3 }],
      calls: 1,
    });
  });

  it('moves a run of adjacent tracks with one call, however long the run', () => {
    const current = uris(300);
    const target = [...identity(300).slice(200, 260), ...identity(300).slice(0, 200), ...identity(300).slice(260)];
    const plan = planOrderChange(current, target);
    expect(plan.calls).toBe(1);
    expect(applyOrderPlan(current, plan)).toEqual(targetUris(current, target));
  });

  it('replaces a reversed playlist (3 calls for 250 tracks) instead of 249 moves', () => {
    const current = uris(250);
    const target = identity(250).reverse();
    const plan = planOrderChange(current, target);
    expect(plan.kind).toBe('replace');
    expect(plan.calls).toBe(3);
    expect(plan.kind === 'replace' && plan.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(applyOrderPlan(current, plan)).toEqual(targetUris(current, target));
  });

  it('never replaces a playlist holding local files, since they cannot be added back', () => {
    const current = uris(120);
    current[7] = 'spotify:local:A:B:C:100';
    const plan = planOrderChange(current, identity(120).reverse());
    expect(plan.kind).toBe('reorder');
    expect(applyOrderPlan(current, plan)).toEqual([...current].reverse());
  });

  it('reorders only when replacing is not allowed, e.g. to keep added dates', () => {
    const current = uris(50);
    const plan = planOrderChange(current, identity(50).reverse(), { allowReplace: false });
    expect(plan.kind).toBe('reorder');
    expect(plan.calls).toBe(49);
  });

  it('prefers reordering when both plans cost the same', () => {
    const current = uris(100);
    const target = [1, 0, ...identity(100).slice(2)];
    expect(planOrderChange(current, target).kind).toBe('reorder');
  });

  it('rejects a target that is not a permutation of the playlist', () => {
    expect(() => planOrderChange(uris(3), [0, 1])).toThrow(RangeError);
    expect(() => planOrderChange(uris(3), [0, 1, 1])).toThrow(RangeError);
    expect(() => planOrderChange(uris(3), [0, 1, 3])).toThrow(RangeError);
  });

  it('yields exactly the target order for 600 random playlists with duplicates and local files', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const random = seededRandom(seed);
      const size = Math.floor(random() * (seed % 10 === 0 ? 400 : 60));
      const current = messyPlaylist(size, random);
      const target =
        seed % 2 === 0 ? shuffle(identity(size), random) : fewMoves(size, 1 + Math.floor(random() * 6), random);
      const plan = planOrderChange(current, target);
      const context = `seed ${seed}, size ${size}`;
      expect(applyOrderPlan(current, plan), context).toEqual(targetUris(current, target));
      expect(plan.calls, context).toBe(plan.kind === 'replace' ? plan.batches.length : plan.operations.length);
      if (plan.kind === 'replace')
        expect(
          current.some((u) => u.startsWith('spotify:local:')),
          context,
        ).toBe(false);
    }
  });

  it('needs at most as many calls as items that are out of a longest increasing subsequence', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed);
      const size = 2 + Math.floor(random() * 80);
      const target = fewMoves(size, 1 + Math.floor(random() * 4), random);
      const plan = planOrderChange(uris(size), target, { allowReplace: false });
      const ranks = new Array<number>(size);
      target.forEach((current, position) => (ranks[current] = position));
      expect(plan.calls, `seed ${seed}`).toBeLessThanOrEqual(size - longestIncreasingSubsequence(ranks).length);
    }
  });
});

describe('applyReorder', () => {
  it('follows Spotify: insert_before counts positions before the move, and the length moves to the end', () => {
    expect(applyReorder(['a', 'b', 'c', 'd', 'e'], { range_start: 0, range_length: 2, insert_before: 5 })).toEqual([
      'c',
      'd',
      'e',
      'a',
      'b',
    ]);
    expect(applyReorder(['a', 'b', 'c', 'd', 'e'], { range_start: 3, range_length: 2, insert_before: 0 })).toEqual([
      'd',
      'e',
      'a',
      'b',
      'c',
    ]);
    expect(applyReorder(['a', 'b', 'c', 'd', 'e'], { range_start: 1, range_length: 1, insert_before: 4 })).toEqual([
      'a',
      'c',
      'd',
      'b',
      'e',
    ]);
  });

  it('rejects ranges outside the playlist or inside the moved run', () => {
    expect(() => applyReorder(['a', 'b'], { range_start: 1, range_length: 2, insert_before: 0 })).toThrow(RangeError);
    expect(() => applyReorder(['a', 'b', 'c'], { range_start: 0, range_length: 2, insert_before: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('longestIncreasingSubsequence', () => {
  it('finds one of the longest increasing runs, as indices', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const lis = longestIncreasingSubsequence(values);
    expect(lis.length).toBe(6);
    const picked = lis.map((i) => values[i]!);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(new Set(picked).size).toBe(picked.length);
    expect(longestIncreasingSubsequence([])).toEqual([]);
  });
});

describe('longestIncreasingSubsequence with weights', () => {
  it('keeps the heavier of two equally long choices', () => {
    // [0] then either [2] (weight 1) or [1] (weight 50), then [3]: both choices have length 3.
    expect(longestIncreasingSubsequence([0, 2, 1, 3], [1, 1, 50, 1])).toEqual([0, 2, 3]);
    expect(longestIncreasingSubsequence([0, 2, 1, 3], [1, 50, 1, 1])).toEqual([0, 1, 3]);
  });

  it('never trades length for weight', () => {
    expect(longestIncreasingSubsequence([5, 1, 2, 3], [100, 1, 1, 1])).toEqual([1, 2, 3]);
  });
});
