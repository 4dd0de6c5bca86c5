import {
  SourceError,
  type ListenPage,
  type ListenRange,
  type ListeningSource,
  type SourceListen,
} from '../app/sources/ports.js';
import { parseRecentTracks, type ParsedRecentTracks, type RawRecentTracks } from './parse.js';
import { lastfmApiSig } from './signature.js';

export const LASTFM_API_URL = 'https://ws.audioscrobbler.com/2.0/';
export const LASTFM_AUTH_URL = 'https://www.last.fm/api/auth/';
/** user.getRecentTracks' documented maximum page size. */
export const LASTFM_MAX_PAGE = 200;
/**
 * 4 requests a second at most: Last.fm's old terms allowed 5 a second averaged over 5 minutes and
 * warn that "several calls per second" continuously may get a key suspended (docs/lastfm.md).
 */
export const LASTFM_MIN_INTERVAL_MS = 250;
/** Last.fm sends no Retry-After with error 29; this is how long the adapter asks callers to wait. */
export const LASTFM_RATE_LIMIT_BACKOFF_MS = 60_000;

/** Why auth.getSession refused a token: each is the member's to retry from /link, not the operator's. */
export type LastfmAuthFailure = 'invalid-token' | 'not-approved' | 'expired';

export class LastfmAuthError extends Error {
  override readonly name = 'LastfmAuthError';
  constructor(
    readonly reason: LastfmAuthFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface LastfmClientOptions {
  /** The operator's API key and shared secret (never logged, never put in an error message). */
  readonly apiKey: string;
  readonly sharedSecret: string;
  /** Default https://ws.audioscrobbler.com/2.0/; the emulator's apiUrl in tests. */
  readonly apiUrl?: string;
  /** Default https://www.last.fm/api/auth/. */
  readonly authUrl?: string;
  /** Identifies Encore to Last.fm, e.g. "Encore/1.2.3 (+https://example.org)". */
  readonly userAgent: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Least time between two requests' starts; default 250 ms (4 a second). */
  readonly minIntervalMs?: number;
  readonly timeoutMs?: number;
}

export interface LastfmSession {
  readonly userName: string;
  /** Grants the holder the member's Last.fm account; store it as a secret. */
  readonly sessionKey: string;
}

export interface LastfmClient extends ListeningSource {
  readonly kind: 'lastfm';
  /** Where to send a member to approve Encore; Last.fm then redirects to `callbackUrl` with `?token=`. */
  authUrl(callbackUrl: string): string;
  /** Exchanges a web-auth token (single use, 60 minutes) for the member's name and session key. */
  getSession(token: string): Promise<LastfmSession>;
  /**
   * artist.getTopTags: the artist's tags, heaviest first, weighted 0–100 relative to the top one.
   * By name (autocorrected) when given, else by MBID; [] when Last.fm does not know the artist.
   */
  artistTopTags(artist: { name?: string; mbid?: string }): Promise<LastfmTag[]>;
}

/** One of an artist's top tags: free text ("seen live" as much as "trip hop"), `count` 0–100. */
export interface LastfmTag {
  readonly name: string;
  readonly count: number;
}

interface ErrorBody {
  readonly error?: unknown;
  readonly message?: unknown;
}

/**
 * Spaces request starts `intervalMs` apart, and holds everything until a rate limit's retryAt, so no
 * caller can make Encore hammer Last.fm. The reservation is synchronous, so concurrent callers queue.
 */
function createPacer(intervalMs: number, now: () => number, sleep: (ms: number) => Promise<void>) {
  let nextAt = -Infinity;
  return {
    async schedule<T>(task: () => Promise<T>): Promise<T> {
      const at = Math.max(now(), nextAt);
      nextAt = at + intervalMs;
      const wait = at - now();
      if (wait > 0) await sleep(wait);
      return task();
    },
    holdUntil(at: number) {
      nextAt = Math.max(nextAt, at);
    },
  };
}

/** A SourceError that keeps Last.fm's own code, for the calls (auth.getSession) that read it. */
export class LastfmSourceError extends SourceError {
  constructor(
    readonly lastfmCode: number,
    failure: SourceError['failure'],
    message: string,
    retryAt?: number,
  ) {
    super('lastfm', failure, message, retryAt);
  }
}

/** Last.fm's error codes by meaning (docs/lastfm.md has the table and its sources). */
function sourceErrorFor(code: number, message: string, retryAt: number): LastfmSourceError {
  switch (code) {
    case 29:
      return new LastfmSourceError(code, 'rate-limited', `Last.fm rate limit (29): ${message}`, retryAt);
    case 6:
      return new LastfmSourceError(code, 'not-found', `Last.fm user not found (6): ${message}`);
    case 17:
      return new LastfmSourceError(code, 'private', `Last.fm listening history is private (17): ${message}`);
    case 10:
    case 26:
    case 13:
      return new LastfmSourceError(
        code,
        'misconfigured',
        `Last.fm refused Encore's API credentials (${code}): ${message}`,
      );
    default:
      // 2, 8, 11, 16 say "try again"; anything undocumented is treated the same rather than dropped.
      return new LastfmSourceError(code, 'temporary', `Last.fm error ${code}: ${message}`);
  }
}

export function createLastfmClient(options: LastfmClientOptions): LastfmClient {
  const apiUrl = options.apiUrl ?? LASTFM_API_URL;
  const authBase = options.authUrl ?? LASTFM_AUTH_URL;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pacer = createPacer(options.minIntervalMs ?? LASTFM_MIN_INTERVAL_MS, now, sleep);
  const timeoutMs = options.timeoutMs ?? 15_000;

  /** One web-service call; answers the parsed JSON or throws SourceError (the URL is never in a message). */
  async function call(params: Record<string, string>, signed = false): Promise<unknown> {
    const all: Record<string, string> = { ...params, api_key: options.apiKey };
    if (signed) all.api_sig = lastfmApiSig(all, options.sharedSecret);
    all.format = 'json';
    const url = new URL(apiUrl);
    for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await pacer.schedule(() =>
        doFetch(url, {
          headers: { 'User-Agent': options.userAgent, Accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
    } catch (err) {
      throw new SourceError('lastfm', 'temporary', `Last.fm unreachable (${(err as Error).name})`);
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const code = (body as ErrorBody | undefined)?.error;
    if (typeof code === 'number' || response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      const retryAt = now() + (retryAfter > 0 ? retryAfter * 1000 : LASTFM_RATE_LIMIT_BACKOFF_MS);
      const n = typeof code === 'number' ? code : 29;
      if (n === 29) pacer.holdUntil(retryAt);
      const message = String((body as ErrorBody | undefined)?.message ?? `HTTP ${response.status}`);
      throw sourceErrorFor(n, message, retryAt);
    }
    if (!response.ok || body === undefined || body === null || typeof body !== 'object')
      throw new SourceError('lastfm', 'temporary', `Last.fm answered HTTP ${response.status} without a result`);
    return body;
  }

  async function recent(
    user: string,
    query: { limit: number; page?: number; from?: number; to?: number },
  ): Promise<ParsedRecentTracks> {
    const params: Record<string, string> = {
      method: 'user.getrecenttracks',
      user,
      limit: String(query.limit),
      page: String(query.page ?? 1),
      extended: '1',
    };
    if (query.from !== undefined) params.from = String(query.from);
    if (query.to !== undefined) params.to = String(query.to);
    return parseRecentTracks((await call(params)) as RawRecentTracks);
  }

  /**
   * Every scrobble dated exactly `second`. `from`/`to` one second either side read it whole whether
   * Last.fm's bounds include their own second or not; the filter drops the neighbours.
   */
  async function wholeSecond(user: string, second: number): Promise<SourceListen[]> {
    const found: SourceListen[] = [];
    for (let page = 1; ; page++) {
      const got = await recent(user, { limit: LASTFM_MAX_PAGE, page, from: second - 1, to: second + 1 });
      found.push(...got.scrobbles.filter((s) => Math.floor(s.listenedAt / 1000) === second));
      if (got.page >= got.totalPages || got.scrobbles.length === 0) return found;
    }
  }

  return {
    kind: 'lastfm',

    /**
     * Last.fm dates scrobbles to the second and pages by `to`, so a page must not end inside a second:
     * it asks for one more than `limit`, ends the page before the last second it cannot give in full
     * (next = that second + 1 ms, so the next page reads it whole), and reads a page wholly inside one
     * second in full. `from`/`to` are sent one second wide of the range and the result filtered, which
     * is right whether Last.fm's bounds are inclusive or exclusive. At limit 200 a full page gives 199
     * or fewer.
     */
    async listens(user: string, range: ListenRange, limit: number): Promise<ListenPage> {
      const wanted = Math.min(LASTFM_MAX_PAGE, Math.max(1, Math.floor(limit)));
      // One more than asked for, to see whether the page's last second goes on past it.
      const perPage = Math.min(LASTFM_MAX_PAGE, wanted + 1);
      const to = range.before === undefined ? undefined : Math.ceil(range.before / 1000);
      const from = range.after === undefined ? undefined : Math.floor(range.after / 1000);
      const inRange = (l: SourceListen) =>
        (range.before === undefined || l.listenedAt < range.before) &&
        (range.after === undefined || l.listenedAt > range.after);
      let listens: SourceListen[] = [];
      let more = false;
      let total: number | undefined;
      // Usually one request; more only when a whole page fell on the widened bounds' extra second.
      for (let page = 1; ; page++) {
        const got = await recent(user, { limit: perPage, page, from, to });
        total ??= got.total;
        listens = got.scrobbles.filter(inRange);
        more = got.page < got.totalPages;
        if (listens.length > 0 || !more) break;
      }
      const totalPart = total === undefined ? {} : { total };
      if (!more && listens.length <= wanted) return { listens, ...totalPart };
      // Something follows the first `wanted` listens: end the page on a whole second, and let the
      // next page start with the first second not given in full here.
      const second = (l: SourceListen) => Math.floor(l.listenedAt / 1000);
      const boundary = second(listens.length > wanted ? listens[wanted]! : listens.at(-1)!);
      const kept = listens.slice(0, wanted).filter((l) => second(l) > boundary);
      if (kept.length > 0) return { listens: kept, next: boundary * 1000 + 1, ...totalPart };
      // More than a page of scrobbles in one second (an import): this page may exceed `limit`.
      const same = (await wholeSecond(user, boundary)).filter(inRange);
      return { listens: same, next: boundary * 1000, ...totalPart };
    },

    async nowPlaying(user: string): Promise<SourceListen | undefined> {
      const got = await recent(user, { limit: 1 });
      return got.playing ? { listenedAt: now(), ...got.playing } : undefined;
    },

    authUrl(callbackUrl: string): string {
      const url = new URL(authBase);
      url.searchParams.set('api_key', options.apiKey);
      url.searchParams.set('cb', callbackUrl);
      return url.toString();
    },

    async artistTopTags(artist) {
      const name = artist.name?.trim();
      const mbid = artist.mbid?.trim();
      if (!name && !mbid) return [];
      // Last.fm is keyed by names: an MBID it holds may be stale, a name with autocorrect rarely is.
      const params: Record<string, string> = name
        ? { method: 'artist.gettoptags', artist: name, autocorrect: '1' }
        : { method: 'artist.gettoptags', mbid: mbid! };
      let body: unknown;
      try {
        body = await call(params);
      } catch (err) {
        // 6 here is "The artist you supplied could not be found" (with HTTP 200).
        if (err instanceof LastfmSourceError && err.lastfmCode === 6) return [];
        throw err;
      }
      const list = (body as { toptags?: { tag?: unknown } }).toptags?.tag;
      // A single tag arrives as an object, not a one-element list (the XML-to-JSON conversion).
      const items: unknown[] = list === undefined ? [] : Array.isArray(list) ? list : [list];
      return items.flatMap((raw) => {
        const t = raw as { name?: unknown; count?: unknown };
        const count = Number(t.count);
        return typeof t.name === 'string' && t.name.trim() !== ''
          ? [{ name: t.name, count: Number.isFinite(count) ? count : 0 }]
          : [];
      });
    },

    async getSession(token: string): Promise<LastfmSession> {
      let body: unknown;
      try {
        body = await call({ method: 'auth.getSession', token }, true);
      } catch (err) {
        const code = err instanceof LastfmSourceError ? err.lastfmCode : undefined;
        if (code === 4)
          throw new LastfmAuthError('invalid-token', 'Last.fm did not accept this token (unknown or already used)');
        if (code === 14)
          throw new LastfmAuthError('not-approved', 'The Last.fm token was never approved by its member');
        if (code === 15) throw new LastfmAuthError('expired', 'The Last.fm token has expired (they last 60 minutes)');
        if (code === 6) throw new LastfmAuthError('invalid-token', 'Last.fm found no such token');
        throw err;
      }
      const session = (body as { session?: { name?: unknown; key?: unknown } }).session;
      if (typeof session?.name !== 'string' || typeof session.key !== 'string')
        throw new SourceError('lastfm', 'temporary', 'Last.fm answered auth.getSession without a session');
      return { userName: session.name, sessionKey: session.key };
    },
  };
}
