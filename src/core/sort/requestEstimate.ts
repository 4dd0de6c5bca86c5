/** Spotify's page and batch sizes for playlist reads and writes. */
export const ITEMS_PER_PAGE = 50;
export const URIS_PER_WRITE = 100;

/** What a split sort costs in Spotify requests, by kind. */
export interface SplitRequestEstimate {
  readonly itemPages: number;
  readonly artistLookups: number;
  readonly playlistCreates: number;
  readonly trackAdds: number;
  readonly total: number;
}

export interface SplitWorkload {
  /** Every item in the source playlist, local files and episodes included (they are read too). */
  readonly itemCount: number;
  /** Distinct artists not in the artist-genre cache: one GET /artists/{id} each. */
  readonly uncachedArtistCount: number;
  /** Track count of each playlist to create. */
  readonly playlistSizes: readonly number[];
}

/** Pages needed to read a playlist; reading even an empty one takes one request. */
export function itemPagesFor(itemCount: number): number {
  return Math.max(1, Math.ceil(itemCount / ITEMS_PER_PAGE));
}

/**
 * The fewest Spotify requests a split sort can make: ceil(N/50) item pages + one lookup per
 * uncached artist + one create per new playlist + ceil(n/100) adds per playlist.
 */
export function splitRequestLowerBound(workload: SplitWorkload): SplitRequestEstimate {
  const itemPages = itemPagesFor(workload.itemCount);
  const artistLookups = workload.uncachedArtistCount;
  const sizes = workload.playlistSizes.filter((n) => n > 0);
  const playlistCreates = sizes.length;
  const trackAdds = sizes.reduce((sum, n) => sum + Math.ceil(n / URIS_PER_WRITE), 0);
  return {
    itemPages,
    artistLookups,
    playlistCreates,
    trackAdds,
    total: itemPages + artistLookups + playlistCreates + trackAdds,
  };
}

/** The seed's naive cost for comparison: one artist lookup per track instead of per distinct artist. */
export function naiveSplitRequests(workload: SplitWorkload & { readonly trackCount: number }): number {
  const bound = splitRequestLowerBound(workload);
  return bound.total - bound.artistLookups + workload.trackCount;
}

/** Order mode's cost: the item pages, the artist lookups (genre order only) and the plan's write calls. */
export function orderRequestEstimate(workload: {
  readonly itemCount: number;
  readonly uncachedArtistCount: number;
  readonly planCalls: number;
}): number {
  return itemPagesFor(workload.itemCount) + workload.uncachedArtistCount + workload.planCalls;
}
