import {
  SourceError,
  type ListenPage,
  type ListenRange,
  type ListeningSource,
  type SourceListen,
} from '../app/sources/ports.js';
import { toSourceListen, type ListenBrainzListenJson } from './listens.js';
import {
  asObject,
  parseArtistTags,
  parseRecordingTags,
  uniqueMbids,
  type ArtistTags,
  type RecordingTags,
} from './metadata.js';

/** ListenBrainz's cap on recording MBIDs in one POST /1/metadata/recording/ (MAX_ITEMS_PER_GET). */
export const MAX_METADATA_RECORDINGS = 1000;
/**
 * Artist MBIDs per GET /1/metadata/artist/: they travel comma-separated in the URL, and 100 of them
 * (3.7 kB) stay well inside what proxies accept for a request line.
 */
export const METADATA_ARTISTS_PER_GET = 100;

/** ListenBrainz's page cap for GET /1/user/{name}/listens (MAX_ITEMS_PER_GET). */
export const MAX_LISTENS_PER_PAGE = 1000;

/**
 * validate-token said no: no ListenBrainz account holds this token. A SourceError ('not-found':
 * the token names nobody) so callers handling source failures need nothing new, and its own class
 * so /link can tell "wrong token" from "ListenBrainz is down".
 */
export class InvalidListenBrainzToken extends SourceError {
  constructor() {
    super('listenbrainz', 'not-found', 'ListenBrainz does not recognise this user token');
    this.name = 'InvalidListenBrainzToken';
  }
}

export interface ListenBrainzClient extends ListeningSource {
  readonly kind: 'listenbrainz';
  /**
   * Who owns this user token (proof that a member owns the account they connect). The token is sent
   * once in the Authorization header and then dropped: it is not stored, not put in a URL, not in
   * any error message, and this module has no logger to hand it to.
   */
  validateToken(token: string): Promise<{ userName: string }>;
  /** The user's listen count (listen-count), for backfill progress. */
  listenCount(user: string): Promise<number>;
  /**
   * Tags of these recordings and of their artists (POST /1/metadata/recording/ with inc "artist
   * tag", up to 1,000 a request). Recordings ListenBrainz does not know are absent from the map.
   */
  recordingTags(recordingMbids: readonly string[]): Promise<Map<string, RecordingTags>>;
  /** Tags of these artists (GET /1/metadata/artist/ with inc "tag"); unknown artists are absent. */
  artistTags(artistMbids: readonly string[]): Promise<Map<string, ArtistTags>>;
}

export interface ListenBrainzClientOptions {
  /** Default https://api.listenbrainz.org. */
  readonly baseUrl?: string;
  /** Encore's version and a contact URL or e-mail, for the User-Agent ListenBrainz requires. */
  readonly version: string;
  readonly contact: string;
  readonly fetch?: typeof fetch;
  /** Unix ms; injected so tests move time themselves. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The longest the client waits itself for the rate-limit window to reset before giving up with
   * SourceError('rate-limited', retryAt). Default 15 s (a ListenBrainz window is 10 s).
   */
  readonly maxWaitMs?: number;
  /** 429s in a row before giving up. Default 3. */
  readonly max429s?: number;
  readonly timeoutMs?: number;
}

/** MetaBrainz asks for "Application/version ( contact-url )" as for MusicBrainz (docs/listenbrainz.md). */
export function listenBrainzUserAgent(version: string, contact: string): string {
  return `Encore/${version} ( ${contact} )`;
}

interface ListensPayload {
  readonly payload?: {
    readonly listens?: readonly ListenBrainzListenJson[];
    readonly oldest_listen_ts?: unknown;
  };
}

/** The window ListenBrainz used when a 429 came without headers (brainzutils' default). */
const DEFAULT_WINDOW_MS = 10_000;

export function createListenBrainzClient(options: ListenBrainzClientOptions): ListenBrainzClient {
  const baseUrl = (options.baseUrl ?? 'https://api.listenbrainz.org').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  const max429s = options.max429s ?? 3;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const userAgent = listenBrainzUserAgent(options.version, options.contact);

  // The rate limit is per IP, so per client: what the last answer said is left, until when.
  // `remaining` is spent locally before each send so concurrent calls do not overdraw the window.
  let remaining: number | undefined;
  let resetAt = 0;

  async function awaitTurn(): Promise<void> {
    for (;;) {
      const t = now();
      if (t >= resetAt) {
        remaining = undefined;
        return;
      }
      if (remaining === undefined || remaining > 0) {
        if (remaining !== undefined) remaining--;
        return;
      }
      if (resetAt - t > maxWaitMs)
        throw new SourceError('listenbrainz', 'rate-limited', 'ListenBrainz rate limit reached', resetAt);
      await sleep(resetAt - t);
    }
  }

  function noteLimits(response: Response): void {
    const left = Number(response.headers.get('X-RateLimit-Remaining'));
    const resetIn = Number(response.headers.get('X-RateLimit-Reset-In'));
    // Reset-In rather than Reset: it does not depend on our clock agreeing with theirs.
    if (response.headers.has('X-RateLimit-Reset-In') && Number.isFinite(resetIn)) {
      // Counted from when the answer arrived: never earlier than the server's own reset.
      resetAt = now() + resetIn * 1000;
      if (response.headers.has('X-RateLimit-Remaining') && Number.isFinite(left)) remaining = left;
    }
    if (response.status === 429) {
      remaining = 0;
      if (!(resetAt > now())) resetAt = now() + DEFAULT_WINDOW_MS;
    }
  }

  /** One request with the rate limit obeyed (every ListenBrainz endpoint shares one per-IP window). */
  async function send(
    path: string,
    params: Record<string, string>,
    init: { headers?: Record<string, string>; post?: unknown } = {},
  ) {
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    for (let tooMany = 0; ;) {
      await awaitTurn();
      let response: Response;
      try {
        response = await doFetch(url, {
          method: init.post === undefined ? 'GET' : 'POST',
          headers: {
            ...init.headers,
            'User-Agent': userAgent,
            Accept: 'application/json',
            ...(init.post === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(init.post === undefined ? {} : { body: JSON.stringify(init.post) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        // The cause is left out on purpose: it would carry nothing useful and may echo the request.
        throw new SourceError('listenbrainz', 'temporary', 'ListenBrainz could not be reached');
      }
      noteLimits(response);
      if (response.status === 429) {
        await response.body?.cancel();
        if (++tooMany >= max429s || resetAt - now() > maxWaitMs)
          throw new SourceError('listenbrainz', 'rate-limited', 'ListenBrainz keeps answering 429', resetAt);
        continue;
      }
      return response;
    }
  }

  const get = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    send(path, params, { headers });

  async function json(path: string, params: Record<string, string> = {}, post?: unknown): Promise<unknown> {
    const response = await send(path, params, { post });
    const body = await response.text();
    if (response.status === 404) throw new SourceError('listenbrainz', 'not-found', `ListenBrainz has no such user`);
    if (response.status >= 500)
      throw new SourceError('listenbrainz', 'temporary', `ListenBrainz answered ${response.status}`);
    if (!response.ok) throw new Error(`ListenBrainz answered ${response.status}: ${body.slice(0, 300)}`);
    try {
      return JSON.parse(body);
    } catch {
      throw new SourceError('listenbrainz', 'temporary', 'ListenBrainz answered something other than JSON');
    }
  }

  const userPath = (user: string, what: string) => `/1/user/${encodeURIComponent(user)}/${what}`;

  async function fetchListens(user: string, params: Record<string, number>) {
    const body = (await json(
      userPath(user, 'listens'),
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    )) as ListensPayload;
    const raw = body.payload?.listens ?? [];
    const oldest = typeof body.payload?.oldest_listen_ts === 'number' ? body.payload.oldest_listen_ts : undefined;
    return { raw, oldest };
  }

  const seconds = (raw: readonly ListenBrainzListenJson[]) =>
    raw.map((l) => (typeof l.listened_at === 'number' ? l.listened_at : NaN));

  const convert = (raw: readonly ListenBrainzListenJson[]) =>
    raw.map((l) => toSourceListen(l)).filter((l): l is SourceListen => l !== undefined);

  async function listens(user: string, range: ListenRange, limit: number): Promise<ListenPage> {
    const count = Math.max(1, Math.min(Math.floor(limit), MAX_LISTENS_PER_PAGE));
    // Port ranges are exclusive Unix ms; ListenBrainz's are exclusive Unix seconds.
    const maxTs = range.before === undefined ? undefined : Math.ceil(range.before / 1000);
    const minTs = range.after === undefined ? undefined : Math.floor(range.after / 1000);
    const inRange = (l: SourceListen) =>
      (range.after === undefined || l.listenedAt > range.after) &&
      (range.before === undefined || l.listenedAt < range.before);
    if (maxTs !== undefined && minTs !== undefined && maxTs - minTs <= 1) return { listens: [] };

    if (minTs !== undefined) {
      // With min_ts ListenBrainz answers the `count` listens just after it, not the newest: when
      // fewer than `count` come back that is the whole range, else read it newest first below.
      const { raw } = await fetchListens(user, {
        min_ts: minTs,
        ...(maxTs === undefined ? {} : { max_ts: maxTs }),
        count,
      });
      if (raw.length < count) return { listens: convert(raw).filter(inRange) };
    }

    const total = range.before === undefined && range.after === undefined ? await listenCount(user) : undefined;
    const { raw, oldest } = await fetchListens(user, { ...(maxTs === undefined ? {} : { max_ts: maxTs }), count });
    const at = seconds(raw);
    let kept = raw;
    let next: number | undefined;
    const last = at.at(-1);
    if (last !== undefined && Number.isFinite(last)) {
      const reachedAfter = minTs !== undefined && last <= minTs;
      const reachedOldest = oldest !== undefined && oldest > 0 && last <= oldest;
      if (raw.length === count && !reachedAfter) {
        // max_ts is in whole seconds: listens sharing the page's last second may continue on the
        // next page. Leave them all for it (next = that second + 1 s, so max_ts includes it) rather
        // than split them. Only a page of one single second cannot be split; then the page keeps
        // them and the next starts below that second (more than `count` listens in one second).
        const firstOfLast = at.indexOf(last);
        if (firstOfLast > 0) {
          kept = raw.slice(0, firstOfLast);
          next = (last + 1) * 1000;
        } else next = last * 1000;
      } else if (!reachedAfter && !reachedOldest && raw.length > 0 && oldest !== undefined && last > oldest) {
        // A short page although older listens exist (ListenBrainz widens its search window a
        // limited number of times): carry on below it; every listen at `last` is on this page.
        next = last * 1000;
      }
    }
    return {
      listens: convert(kept).filter(inRange),
      ...(next === undefined ? {} : { next }),
      ...(total === undefined ? {} : { total }),
    };
  }

  async function listenCount(user: string): Promise<number> {
    const body = (await json(userPath(user, 'listen-count'))) as { payload?: { count?: unknown } };
    const count = body.payload?.count;
    if (typeof count !== 'number') throw new SourceError('listenbrainz', 'temporary', 'ListenBrainz sent no count');
    return count;
  }

  async function nowPlaying(user: string): Promise<SourceListen | undefined> {
    const body = (await json(userPath(user, 'playing-now'))) as ListensPayload;
    const playing = body.payload?.listens?.[0];
    // playing-now has no listened_at: the listen is dated when Encore saw it.
    return playing ? toSourceListen(playing, now()) : undefined;
  }

  async function validateToken(token: string): Promise<{ userName: string }> {
    if (token.trim() === '' || /\s/.test(token.trim())) throw new InvalidListenBrainzToken();
    const response = await get('/1/validate-token', {}, { Authorization: `Token ${token.trim()}` });
    const body = await response.text();
    if (response.status >= 500)
      throw new SourceError('listenbrainz', 'temporary', `ListenBrainz answered ${response.status}`);
    // ListenBrainz answers 200 {valid: false} for an unknown token (400 when none was sent); a 401
    // is treated the same, should it start answering that.
    if (response.status === 400 || response.status === 401) throw new InvalidListenBrainzToken();
    if (!response.ok) throw new Error(`ListenBrainz answered ${response.status} to validate-token`);
    let parsed: { valid?: unknown; user_name?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new SourceError('listenbrainz', 'temporary', 'ListenBrainz answered something other than JSON');
    }
    if (parsed.valid !== true || typeof parsed.user_name !== 'string' || parsed.user_name === '')
      throw new InvalidListenBrainzToken();
    return { userName: parsed.user_name };
  }

  async function recordingTags(recordingMbids: readonly string[]): Promise<Map<string, RecordingTags>> {
    const mbids = uniqueMbids(recordingMbids);
    const found = new Map<string, RecordingTags>();
    for (let i = 0; i < mbids.length; i += MAX_METADATA_RECORDINGS) {
      const body = await json(
        '/1/metadata/recording/',
        {},
        {
          recording_mbids: mbids.slice(i, i + MAX_METADATA_RECORDINGS),
          inc: 'artist tag',
        },
      );
      for (const [mbid, entry] of Object.entries(asObject(body))) found.set(mbid, parseRecordingTags(entry));
    }
    return found;
  }

  async function artistTags(artistMbids: readonly string[]): Promise<Map<string, ArtistTags>> {
    const mbids = uniqueMbids(artistMbids);
    const found = new Map<string, ArtistTags>();
    for (let i = 0; i < mbids.length; i += METADATA_ARTISTS_PER_GET) {
      const body = await json('/1/metadata/artist/', {
        artist_mbids: mbids.slice(i, i + METADATA_ARTISTS_PER_GET).join(','),
        inc: 'tag',
      });
      for (const entry of Array.isArray(body) ? (body as unknown[]) : []) {
        const parsed = parseArtistTags(entry);
        if (parsed) found.set(parsed.mbid, parsed);
      }
    }
    return found;
  }

  return { kind: 'listenbrainz', listens, nowPlaying, validateToken, listenCount, recordingTags, artistTags };
}
