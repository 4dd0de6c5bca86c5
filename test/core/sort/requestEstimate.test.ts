import { describe, expect, it } from 'vitest';
import {
  itemPagesFor,
  naiveSplitRequests,
  orderRequestEstimate,
  splitRequestLowerBound,
} from '../../../src/core/sort/index.js';

describe('splitRequestLowerBound', () => {
  it('adds ceil(N/50) pages, one lookup per uncached artist, one create per playlist and ceil(n/100) adds each', () => {
    expect(
      splitRequestLowerBound({ itemCount: 1_000, uncachedArtistCount: 340, playlistSizes: [450, 300, 101, 99, 50] }),
    ).toEqual({
      itemPages: 20,
      artistLookups: 340,
      playlistCreates: 5,
      trackAdds: 5 + 3 + 2 + 1 + 1,
      total: 20 + 340 + 5 + 12,
    });
  });

  it('rounds pages and adds up at the batch edges', () => {
    expect([1, 50, 51, 100, 10_000].map(itemPagesFor)).toEqual([1, 1, 2, 2, 200]);
    expect(splitRequestLowerBound({ itemCount: 100, uncachedArtistCount: 0, playlistSizes: [100] }).trackAdds).toBe(1);
    expect(splitRequestLowerBound({ itemCount: 101, uncachedArtistCount: 0, playlistSizes: [101] }).trackAdds).toBe(2);
  });

  it('neither creates nor fills an empty playlist', () => {
    expect(splitRequestLowerBound({ itemCount: 0, uncachedArtistCount: 0, playlistSizes: [0, 0] })).toEqual({
      itemPages: 1,
      artistLookups: 0,
      playlistCreates: 0,
      trackAdds: 0,
      total: 1,
    });
  });

  it('compares with the seed, which looked up an artist for every track', () => {
    const workload = { itemCount: 1_000, uncachedArtistCount: 0, playlistSizes: [1_000] };
    expect(naiveSplitRequests({ ...workload, trackCount: 1_000 })).toBe(20 + 1_000 + 1 + 10);
  });
});

describe('orderRequestEstimate', () => {
  it('adds the item pages, the uncached artists and the plan’s calls', () => {
    expect(orderRequestEstimate({ itemCount: 1_000, uncachedArtistCount: 12, planCalls: 10 })).toBe(20 + 12 + 10);
    expect(orderRequestEstimate({ itemCount: 0, uncachedArtistCount: 0, planCalls: 0 })).toBe(1);
  });
});
