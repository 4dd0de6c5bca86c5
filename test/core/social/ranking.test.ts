import { describe, expect, it } from 'vitest';
import { rankDescending } from '../../../src/core/social/index.js';

const rank = (values: Record<string, number>) =>
  rankDescending(
    Object.entries(values).map(([memberId, value]) => ({ memberId, value })),
    (x) => x.value,
    (x) => x.memberId,
  ).map((x) => `${x.rank}:${x.memberId}`);

describe('rankDescending', () => {
  it('ranks the highest value first', () => {
    expect(rank({ a: 1, b: 3, c: 2 })).toEqual(['1:b', '2:c', '3:a']);
  });

  it('gives equal values the same rank and skips the ranks they share (1, 1, 3)', () => {
    expect(rank({ a: 5, b: 5, c: 4, d: 4, e: 4, f: 1 })).toEqual(['1:a', '1:b', '3:c', '3:d', '3:e', '6:f']);
  });

  it('orders tied entries by key, so a page lists them the same way every time', () => {
    expect(rank({ zed: 2, amy: 2, kim: 2 })).toEqual(['1:amy', '1:kim', '1:zed']);
  });

  it('ranks nobody for nobody', () => {
    expect(rank({})).toEqual([]);
  });
});
