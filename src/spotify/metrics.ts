/** Collections whose next path segment is an id, so /playlists/abc/items counts as /playlists/{id}/items. */
const ID_AFTER = new Set(['playlists', 'artists', 'albums', 'tracks', 'episodes', 'shows', 'users']);

/** The endpoint template of a path, for per-endpoint counters. */
export function endpointTemplate(method: string, path: string): string {
  const parts = path.split('?')[0]!.split('/');
  return `${method} ${parts.map((part, i) => (i > 0 && ID_AFTER.has(parts[i - 1]!) && part ? '{id}' : part)).join('/')}`;
}

export interface EndpointCounters {
  requests: number;
  retries: number;
  statuses: Record<string, number>;
}

/** Per-endpoint counters for /metrics and benches; plain numbers, nothing clever. */
export class GatewayMetrics {
  readonly endpoints = new Map<string, EndpointCounters>();
  coalesced = 0;
  genreCacheHits = 0;
  genreLookups = 0;
  refreshes = 0;
  breakerRejections = 0;

  private entry(endpoint: string): EndpointCounters {
    let e = this.endpoints.get(endpoint);
    if (!e) this.endpoints.set(endpoint, (e = { requests: 0, retries: 0, statuses: {} }));
    return e;
  }
  request(endpoint: string, status: number | 'network'): void {
    const e = this.entry(endpoint);
    e.requests++;
    e.statuses[status] = (e.statuses[status] ?? 0) + 1;
  }
  retry(endpoint: string): void {
    this.entry(endpoint).retries++;
  }
  /** Total requests sent to Spotify. */
  get totalRequests(): number {
    let n = 0;
    for (const e of this.endpoints.values()) n += e.requests;
    return n;
  }
  snapshot() {
    return {
      totalRequests: this.totalRequests,
      coalesced: this.coalesced,
      genreCacheHits: this.genreCacheHits,
      genreLookups: this.genreLookups,
      refreshes: this.refreshes,
      breakerRejections: this.breakerRejections,
      endpoints: Object.fromEntries(this.endpoints),
    };
  }
}
