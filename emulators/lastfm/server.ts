import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LazyHistory, lastfmCatalogue, type HistoryShape, type LastfmTrack, type Scrobble } from './catalogue.js';

export type { LastfmTrack, Scrobble, HistoryShape } from './catalogue.js';

/** A seeded Last.fm account. */
export interface EmulatedLastfmUser {
  readonly name: string;
  readonly history: HistoryShape;
  /** "Hide recent listening information": user.getRecentTracks answers 17 to anyone but the owner. */
  readonly private?: boolean;
  /** Account creation, Unix seconds; defaults to a day before the first scrobble. */
  readonly registered?: number;
}

export interface RecordedRequest {
  readonly at: number;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly userAgent: string | undefined;
  readonly status: number;
}

export interface LastfmEmulatorOptions {
  readonly port?: number;
  /** The operator's API key and shared secret the emulator accepts. */
  readonly apiKey?: string;
  readonly sharedSecret?: string;
  /** Keys that exist but were suspended (error 26). */
  readonly suspendedKeys?: readonly string[];
  readonly users?: readonly EmulatedLastfmUser[];
  /** Clock for tokens, now-playing and the rate limit; tests move their own. */
  readonly now?: () => number;
  /** At most this many requests per API key in any `windowMs`; then error 29. Default: no limit. */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  /**
   * Whether `from`/`to` include their own second. Last.fm's docs say "after"/"before" without saying;
   * both readings can be emulated so a client is checked against either. Default true (inclusive).
   */
  readonly inclusiveRange?: boolean;
  readonly catalogueSize?: number;
  /**
   * artist.getTopTags answers for artists beyond the catalogue's (whose Spotify genres become tags,
   * with Last.fm's usual noise), keyed by artist name; `mbid` also finds them by MBID.
   */
  readonly artistTags?: ReadonlyArray<{
    readonly name: string;
    readonly mbid?: string;
    readonly tags: ReadonlyArray<{ readonly name: string; readonly count: number }>;
  }>;
}

/** Knobs a test turns while the emulator runs. */
export interface LastfmEmulatorControl {
  /** Every API request answers 29 while true (a 429 storm). */
  rateLimitStorm: boolean;
  /** Added before each answer. */
  latencyMs: number;
  /** The next `times` API requests fail with this Last.fm error code (8, 11, 16) or a bare HTTP 5xx. */
  failNext(failure: { code: 8 | 11 | 16 } | { httpStatus: number }, times?: number): void;
  /** The user whose browser session approves /api/auth/ requests; undefined shows the login page. */
  loggedInAs: string | undefined;
  /** What a user is scrobbling now (catalogue index), or undefined. */
  setNowPlaying(user: string, trackIndex: number | undefined): void;
}

export interface LastfmEmulator {
  /** Base of the web service, like https://ws.audioscrobbler.com/2.0/ (ends in /2.0/). */
  readonly apiUrl: string;
  /** The web-auth page, like https://www.last.fm/api/auth/. */
  readonly authUrl: string;
  readonly apiKey: string;
  readonly sharedSecret: string;
  readonly control: LastfmEmulatorControl;
  readonly requests: readonly RecordedRequest[];
  readonly catalogue: readonly LastfmTrack[];
  /** Ground truth: a user's scrobbles, oldest first. */
  history(user: string): LazyHistory;
  /** A token that exists but no user approved (as auth.getToken gives before the browser step). */
  unapprovedToken(): string;
  /** Session keys granted so far, by user (for assertions; never logged). */
  sessionsOf(user: string): readonly string[];
  close(): Promise<void>;
}

const DAY = 86_400;
/** 2026-11-01, the Spotify emulator's base date: histories end around then. */
const BASE = Date.UTC(2026, 10, 1) / 1000;

/** The seeded accounts: long histories, a small one, bursts in one second, a private one. */
export const SEEDED_LASTFM_USERS: readonly EmulatedLastfmUser[] = [
  { name: 'frankie', history: { count: 120_000, since: BASE - 6 * 365 * DAY, until: BASE, seed: 1 } },
  { name: 'gwen', history: { count: 30_000, since: BASE - 3 * 365 * DAY, until: BASE, seed: 2 } },
  { name: 'hugo', history: { count: 950, since: BASE - 60 * DAY, until: BASE, sameSecond: 7, seed: 3 } },
  { name: 'iris', history: { count: 5_000, since: BASE - 400 * DAY, until: BASE, seed: 4 }, private: true },
  { name: 'june', history: { count: 1, since: BASE - DAY, until: BASE - DAY, seed: 5 } },
];

export const DEFAULT_API_KEY = 'e0c0e000000000000000000000000001';
export const DEFAULT_SHARED_SECRET = 'emulatedsharedsecret000000000000';

/** Last.fm's signature: md5 of name+value pairs sorted by name (format, callback, api_sig left out), then the secret. */
export function lastfmSignature(params: Readonly<Record<string, string>>, secret: string): string {
  const text = Object.keys(params)
    .filter((k) => k !== 'format' && k !== 'callback' && k !== 'api_sig')
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('');
  return createHash('md5')
    .update(text + secret, 'utf8')
    .digest('hex');
}

/** The HTTP status Last.fm answers each error with (docs/lastfm.md: observed or the emulator's choice). */
const STATUS: Record<number, number> = {
  2: 400,
  3: 400,
  4: 403,
  5: 400,
  6: 400,
  8: 500,
  9: 403,
  10: 403,
  11: 503,
  13: 403,
  14: 403,
  15: 403,
  16: 503,
  17: 403,
  26: 403,
  29: 429,
};
const MESSAGE: Record<number, string> = {
  3: 'Invalid Method - No method with that name in this package',
  4: 'Invalid authentication token supplied',
  5: "Invalid format - This service doesn't exist in that format",
  6: 'Invalid parameters - Your request is missing a required parameter',
  8: 'Operation failed - Most likely the backend service failed. Please try again.',
  10: 'Invalid API key - You must be granted a valid key by last.fm',
  11: 'Service Offline - This service is temporarily offline. Try again later.',
  13: 'Invalid method signature supplied',
  14: 'This token has not been authorized',
  15: 'This token has expired',
  16: 'There was a temporary error processing your request. Please try again',
  17: 'Login: User required to be logged in',
  26: 'Suspended API key - Access for your account has been suspended, please contact Last.fm',
  29: 'Rate limit exceeded - Your IP has made too many requests in a short period',
};

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

interface Token {
  readonly apiKey: string;
  readonly issuedAt: number;
  user?: string;
  used: boolean;
}

const image = (hash: string) =>
  (['small', 'medium', 'large', 'extralarge'] as const).map((size, i) => ({
    size,
    '#text': hash ? `https://lastfm.freetls.fastly.net/i/u/${['34s', '64s', '174s', '300x300'][i]}/${hash}.jpg` : '',
  }));
const musicUrl = (...parts: string[]) =>
  `https://www.last.fm/music/${parts.map((p) => encodeURIComponent(p).replace(/%20/g, '+')).join('/_/')}`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Last.fm's `date['#text']`, e.g. "20 Oct 2020, 10:03" (UTC). */
const dateText = (uts: number) => {
  const d = new Date(uts * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};

function trackJson(track: LastfmTrack, extended: boolean, uts: number | undefined) {
  return {
    ...(uts === undefined ? { '@attr': { nowplaying: 'true' } } : {}),
    artist: extended
      ? { url: musicUrl(track.artist.name), name: track.artist.name, image: image(''), mbid: track.artist.mbid }
      : { mbid: track.artist.mbid, '#text': track.artist.name },
    streamable: '0',
    image: image(track.imageHash),
    mbid: track.mbid,
    album: { mbid: track.album.mbid, '#text': track.album.name },
    name: track.name,
    url: musicUrl(track.artist.name, track.name),
    ...(extended ? { loved: '0' } : {}),
    ...(uts === undefined ? {} : { date: { uts: String(uts), '#text': dateText(uts) } }),
  };
}

interface TopTags {
  readonly name: string;
  readonly tags: ReadonlyArray<{ readonly name: string; readonly count: number }>;
}

/**
 * Every catalogue artist's top tags as Last.fm weighs them (the top tag 100, the rest relative to it):
 * its Spotify genres, and around them the folksonomy's noise (a "seen live", a decade, the artist's
 * own name) that Encore's allow-list must drop. Seeded entries replace the generated ones.
 */
function topTagsIndex(catalogue: readonly LastfmTrack[], seeded: NonNullable<LastfmEmulatorOptions['artistTags']>) {
  const byName = new Map<string, TopTags>();
  const byMbid = new Map<string, TopTags>();
  for (const track of catalogue) {
    const key = track.artist.name.toLowerCase();
    if (byName.has(key)) continue;
    const genres = track.artist.genres ?? [];
    const entry: TopTags = {
      name: track.artist.name,
      tags: [
        ...genres.map((g, i) => ({ name: g, count: Math.max(20, 100 - 25 * i) })),
        { name: 'seen live', count: genres.length ? 60 : 100 },
        { name: 'female vocalists', count: 15 },
        { name: track.artist.name, count: 5 },
        { name: '00s', count: 4 },
      ].sort((a, b) => b.count - a.count),
    };
    byName.set(key, entry);
    if (track.artist.mbid) byMbid.set(track.artist.mbid, entry);
  }
  for (const s of seeded) {
    const entry = { name: s.name, tags: [...s.tags] };
    byName.set(s.name.toLowerCase(), entry);
    if (s.mbid) byMbid.set(s.mbid, entry);
  }
  return { byName, byMbid };
}

/**
 * A Last.fm web service (2.0, JSON) and web-auth page on 127.0.0.1: user.getRecentTracks,
 * user.getInfo, artist.getTopTags, auth.getToken, auth.getSession, /api/auth/. API key and signature checks, single-use
 * tokens that expire after 60 minutes, a rate limit, a 29 storm, temporary failures and latency.
 * Histories are generated on demand, so users with 100,000+ scrobbles cost almost no memory.
 */
export async function startLastfmEmulator(options: LastfmEmulatorOptions = {}): Promise<LastfmEmulator> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const sharedSecret = options.sharedSecret ?? DEFAULT_SHARED_SECRET;
  const suspended = new Set(options.suspendedKeys ?? []);
  const now = options.now ?? Date.now;
  const inclusive = options.inclusiveRange ?? true;
  const catalogue = lastfmCatalogue(options.catalogueSize ?? 2000);
  const users = new Map(
    (options.users ?? SEEDED_LASTFM_USERS).map((u) => [
      u.name.toLowerCase(),
      { ...u, lazy: new LazyHistory(u.history, catalogue) },
    ]),
  );
  const nowPlaying = new Map<string, number>();
  const tokens = new Map<string, Token>();
  const sessions = new Map<string, string>(); // session key → user name
  const requests: RecordedRequest[] = [];
  const recentByKey = new Map<string, number[]>();
  const failures: Array<{ code: number } | { httpStatus: number }> = [];
  const artistTags = topTagsIndex(catalogue, options.artistTags ?? []);

  const control: LastfmEmulatorControl = {
    rateLimitStorm: false,
    latencyMs: 0,
    loggedInAs: undefined,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    setNowPlaying(user, trackIndex) {
      if (trackIndex === undefined) nowPlaying.delete(user.toLowerCase());
      else nowPlaying.set(user.toLowerCase(), trackIndex % catalogue.length);
    },
  };

  const error = (code: number, message = MESSAGE[code] ?? 'Error', status = STATUS[code] ?? 400): [number, unknown] => [
    status,
    { error: code, message },
  ];
  /** As captured from the real service: error 6 with HTTP 404. */
  const userNotFound = () => error(6, 'User not found', 404);

  function recentTracks(q: Record<string, string>): [number, unknown] {
    const user = users.get((q.user ?? '').toLowerCase());
    if (!q.user) return error(6);
    if (!user) return userNotFound();
    if (user.private) return error(17);
    const limit = Math.min(200, Math.max(1, Number(q.limit ?? 50) || 50));
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const extended = q.extended === '1';
    const history = user.lazy;
    const from = q.from === undefined ? undefined : Number(q.from);
    const to = q.to === undefined ? undefined : Number(q.to);
    // Index range [lo, hi) of scrobbles inside from/to.
    const lo = from === undefined ? 0 : history.firstAtOrAfter(inclusive ? from : from + 1);
    const hi = to === undefined ? history.count : history.firstAtOrAfter(inclusive ? to + 1 : to);
    const total = Math.max(0, hi - lo);
    // Newest first: page p holds indices hi-1-(p-1)*limit down to ...
    const start = hi - (page - 1) * limit;
    const items: unknown[] = [];
    for (let i = start - 1; i >= Math.max(lo, start - limit); i--) {
      const s: Scrobble = history.at(i);
      items.push(trackJson(s.track, extended, s.uts));
    }
    // Last.fm puts the now-playing track first on page 1 on top of `limit`, whatever the range.
    const playing = nowPlaying.get(user.name.toLowerCase());
    if (page === 1 && playing !== undefined) items.unshift(trackJson(catalogue[playing]!, extended, undefined));
    return [
      200,
      {
        recenttracks: {
          // The XML-to-JSON conversion turns a one-element list into the element itself.
          track: items.length === 1 ? items[0] : items,
          '@attr': {
            user: user.name,
            page: String(page),
            perPage: String(limit),
            totalPages: String(Math.ceil(total / limit)),
            total: String(total),
          },
        },
      },
    ];
  }

  function userInfo(q: Record<string, string>): [number, unknown] {
    const user = users.get((q.user ?? '').toLowerCase());
    if (!user) return userNotFound();
    const registered = user.registered ?? user.history.since - DAY;
    return [
      200,
      {
        user: {
          name: user.name,
          realname: '',
          url: `https://www.last.fm/user/${user.name}`,
          country: 'None',
          subscriber: '0',
          playcount: String(user.history.count),
          registered: { unixtime: String(registered), '#text': registered },
          type: 'user',
          image: image(''),
        },
      },
    ];
  }

  /** artist.getTopTags: by MBID when given, else by name (case-insensitive, as autocorrect would). */
  function topTags(q: Record<string, string>): [number, unknown] {
    if (!q.artist && !q.mbid) return error(6);
    const found =
      (q.mbid && artistTags.byMbid.get(q.mbid)) || (q.artist && artistTags.byName.get(q.artist.toLowerCase()));
    // The real service answers this one with HTTP 200 (lastfm-docs/api-docs docs/artist/getTopTags.md).
    if (!found) return error(6, 'The artist you supplied could not be found', 200);
    return [
      200,
      {
        toptags: {
          tag: found.tags.map((t) => ({
            count: t.count,
            name: t.name,
            url: `https://www.last.fm/tag/${encodeURIComponent(t.name).replace(/%20/g, '+')}`,
          })),
          '@attr': { artist: found.name },
        },
      },
    ];
  }

  function checkSignature(q: Record<string, string>): [number, unknown] | undefined {
    if (!q.api_sig || q.api_sig.toLowerCase() !== lastfmSignature(q, sharedSecret)) return error(13);
    return undefined;
  }

  function getToken(q: Record<string, string>): [number, unknown] {
    const bad = checkSignature(q);
    if (bad) return bad;
    const token = randomBytes(16).toString('hex');
    tokens.set(token, { apiKey: q.api_key!, issuedAt: now(), used: false });
    return [200, { token }];
  }

  function getSession(q: Record<string, string>): [number, unknown] {
    const bad = checkSignature(q);
    if (bad) return bad;
    const token = tokens.get(q.token ?? '');
    if (!token || token.used || token.apiKey !== q.api_key) return error(4);
    if (now() - token.issuedAt > TOKEN_LIFETIME_MS) return error(15);
    if (!token.user) return error(14);
    token.used = true;
    const key = randomBytes(16).toString('hex');
    sessions.set(key, token.user);
    return [200, { session: { name: token.user, key, subscriber: 0 } }];
  }

  function api(q: Record<string, string>): [number, unknown] {
    if (!q.api_key || (q.api_key !== apiKey && !suspended.has(q.api_key))) return error(10);
    if (suspended.has(q.api_key)) return error(26);
    if (control.rateLimitStorm) return error(29);
    if (options.rateLimit) {
      const at = now();
      const recent = (recentByKey.get(q.api_key) ?? []).filter((t) => t > at - options.rateLimit!.windowMs);
      recentByKey.set(q.api_key, recent);
      if (recent.length >= options.rateLimit.requests) return error(29);
      recent.push(at);
    }
    const failure = failures.shift();
    if (failure && 'code' in failure) return error(failure.code);
    if (failure) return [failure.httpStatus, '<html><body>Bad gateway</body></html>'];
    if ((q.format ?? '').toLowerCase() !== 'json') return error(5, 'This emulator answers format=json only');
    switch ((q.method ?? '').toLowerCase()) {
      case 'user.getrecenttracks':
        return recentTracks(q);
      case 'user.getinfo':
        return userInfo(q);
      case 'artist.gettoptags':
        return topTags(q);
      case 'auth.gettoken':
        return getToken(q);
      case 'auth.getsession':
        return getSession(q);
      default:
        return error(3);
    }
  }

  /** The page Last.fm shows a member: approve at once when "logged in", else a list of who to log in as. */
  function authPage(q: Record<string, string>, res: ServerResponse): number {
    if (q.api_key !== apiKey) {
      res.writeHead(400, { 'content-type': 'text/html' }).end('<p>Invalid API key</p>');
      return 400;
    }
    const cb = q.cb;
    const user = control.loggedInAs ?? q.as;
    if (cb && user && users.has(user.toLowerCase())) {
      // Web flow: Last.fm makes the token when the member approves and sends it to the callback.
      const token = randomBytes(16).toString('hex');
      tokens.set(token, { apiKey, issuedAt: now(), user: users.get(user.toLowerCase())!.name, used: false });
      const target = `${cb}${cb.includes('?') ? '&' : '?'}token=${token}`;
      res.writeHead(302, { location: target }).end();
      return 302;
    }
    if (q.token && user && tokens.has(q.token)) {
      // Desktop flow: the application made the token with auth.getToken; the member approves it here.
      tokens.get(q.token)!.user = users.get(user.toLowerCase())?.name;
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p>Application authorised. You can close this window.</p>');
      return 200;
    }
    const links = [...users.values()]
      .map((u) => {
        const params = new URLSearchParams({ ...q, as: u.name });
        return `<li><a href="/api/auth/?${params.toString()}">Log in as ${u.name} and allow access</a></li>`;
      })
      .join('');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Last.fm (emulated)</h1><ul>${links}</ul>`);
    return 200;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const record = (status: number) =>
      requests.push({ at: now(), path: url.pathname, query, userAgent: req.headers['user-agent'], status });
    const answer = () => {
      if (url.pathname === '/api/auth/' || url.pathname === '/api/auth') return record(authPage(query, res));
      if (url.pathname !== '/2.0/' && url.pathname !== '/2.0') {
        res.writeHead(404).end();
        return record(404);
      }
      const [status, body] = api(query);
      if (typeof body === 'string') res.writeHead(status, { 'content-type': 'text/html' }).end(body);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      record(status);
    };
    if (control.latencyMs > 0) setTimeout(answer, control.latencyMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/2.0/`,
    authUrl: `${base}/api/auth/`,
    apiKey,
    sharedSecret,
    control,
    requests,
    catalogue,
    history(user) {
      const u = users.get(user.toLowerCase());
      if (!u) throw new Error(`no emulated Last.fm user ${user}`);
      return u.lazy;
    },
    unapprovedToken() {
      const token = randomBytes(16).toString('hex');
      tokens.set(token, { apiKey, issuedAt: now(), used: false });
      return token;
    },
    sessionsOf(user) {
      return [...sessions].filter(([, name]) => name.toLowerCase() === user.toLowerCase()).map(([key]) => key);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
