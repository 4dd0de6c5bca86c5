import type { Logger } from '../log.js';
import { QuotaBreaker } from './breaker.js';
import { RequestBudget } from './budget.js';
import { openArtistGenreCache } from './genreCache.js';
import { GatewayMetrics } from './metrics.js';
import { createOAuthClient, type OAuthClient } from './oauth.js';
import { Pacer, type SetTimer } from './pacer.js';
import { SharedStartPermits, type SharedRateStore } from './sharedRate.js';
import { SpotifyUserClient } from './userClient.js';
import type { KeyvNamespaces, Priority, UserTokens } from './types.js';

export { NOW_PLAYING_SCOPE, SCOPES, createPkce, type OAuthClient } from './oauth.js';
export { ScopeMissingError, SpotifyApiError } from './errors.js';
export { SpotifyUserClient, toPlaylistEntry } from './userClient.js';
export { endpointTemplate } from './metrics.js';
export type * from './types.js';
export type { SharedRateStore } from './sharedRate.js';

export interface GatewayOptions {
  apiUrl: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  /** The shared state's keyv namespaces (the store, in production). */
  store: KeyvNamespaces;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  /** The pacer's timer, on the same clock as `now` (tests inject both). */
  setTimer?: SetTimer;
  /** Waits between retries; a real timer by default (tests record the backoff instead of waiting it). */
  sleep?: (ms: number) => Promise<void>;
  /** The retry backoff's jitter, in [0, 1); Math.random by default. */
  random?: () => number;
  /**
   * Requests in flight at once, for this process; request starts per second, for the whole app when
   * `sharedRate` is given (every process takes its starts from it), else for this process alone.
   */
  concurrency?: number;
  perSecond?: number;
  /** Where the app's processes share one request rate (Postgres, in production). */
  sharedRate?: SharedRateStore;
  /** The rolling 24-hour request budget (development mode: roughly 1,100+ before Spotify's quota). */
  dailyBudget?: number;
  /** Overrides REQUEST_TIMEOUT_MS per priority (fault tests make Spotify slower than a short timeout). */
  requestTimeoutMs?: Partial<Record<Priority, number>>;
}

export interface SpotifyGateway {
  readonly oauth: OAuthClient;
  /**
   * A client for one member. `member` names whose queue its requests wait in at the pacer (members
   * take turns there); by default, the member's Spotify link.
   */
  forUser(tokens: UserTokens, options?: { priority?: Priority; member?: string }): SpotifyUserClient;
  /** Which artists the shared genre cache knows, at no request cost. */
  knownArtists(ids: readonly string[]): Promise<Set<string>>;
  /**
   * What the shared genre cache knows about these artists, at no request cost (misses are absent):
   * background work that must not spend the quota on genres reads this.
   */
  cachedGenres(ids: readonly string[]): Promise<Map<string, string[]>>;
  /** Stores genres found elsewhere (MusicBrainz) in the shared artist-genre cache. */
  rememberGenres(artists: ReadonlyArray<{ id: string; genres: string[] }>): Promise<void>;
  budget: {
    remaining(priority: Priority): Promise<number>;
    fits(requests: number, priority: Priority): Promise<boolean>;
  };
  /** When the quota breaker lets traffic through again, if it is open. */
  quotaResumesAt(): number | undefined;
  metrics(): ReturnType<GatewayMetrics['snapshot']>;
  /** Requests waiting at the pacer, per priority (/metrics, and tests that line requests up). */
  queued(): Record<Priority, number>;
}

/** The one way Encore talks to Spotify. */
export function createSpotifyGateway(options: GatewayOptions): SpotifyGateway {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const metrics = new GatewayMetrics();
  const breaker = new QuotaBreaker(options.store.namespace('spotify-breaker'), now);
  const budget = new RequestBudget(options.dailyBudget ?? 2_000, options.store.namespace('spotify-budget'), now);
  const genres = openArtistGenreCache(options.store, metrics);
  const log = options.log.child({ module: 'spotify' });
  const perSecond = options.perSecond ?? 20;
  const permits =
    options.sharedRate &&
    new SharedStartPermits(options.sharedRate, {
      bucket: options.clientId,
      perSecond,
      now,
      log,
      ...(options.setTimer ? { setTimer: options.setTimer } : {}),
    });
  const oauth = createOAuthClient({
    accountsUrl: options.accountsUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: doFetch,
    now,
  });
  const shared = {
    transport: {
      apiUrl: options.apiUrl,
      fetch: doFetch,
      now,
      pacer: new Pacer(options.concurrency ?? 6, perSecond, now, options.setTimer, permits),
      breaker,
      budget,
      metrics,
      log,
      sleep: options.sleep,
      random: options.random,
      requestTimeoutMs: options.requestTimeoutMs,
    },
    oauth,
    genres,
    metrics,
    inFlightGets: new Map<string, Promise<unknown>>(),
    refreshes: new Map(),
  };
  return {
    oauth,
    forUser: (tokens, { priority = 'interactive', member } = {}) =>
      new SpotifyUserClient(shared, tokens, priority, member),
    knownArtists: (ids) => genres.known(ids),
    cachedGenres: (ids) => genres.cached(ids),
    rememberGenres: (artists) => genres.remember(artists),
    budget: { remaining: (p) => budget.remaining(p), fits: (n, p) => budget.fits(n, p) },
    quotaResumesAt: () => breaker.resumesAt,
    metrics: () => metrics.snapshot(),
    queued: () => shared.transport.pacer.queued(),
  };
}
