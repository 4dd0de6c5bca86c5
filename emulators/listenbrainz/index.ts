import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCatalogue, mbidFor, type CatalogueTrack } from './catalogue.js';
import { History, type EmulatedListen } from './history.js';
import { createMetadataIndex, MetadataError, type MetadataSeed } from './metadata.js';

export { buildCatalogue, mbidFor, type CatalogueTrack, type SubmissionStyle } from './catalogue.js';
export { History, msidOf, type EmulatedListen } from './history.js';
export { type EmulatedMetadataTag, type MetadataSeed } from './metadata.js';

/**
 * A ListenBrainz API stand-in on 127.0.0.1, faithful to docs/listenbrainz.md: public listens with
 * exclusive min_ts/max_ts and the count cap (and the ascending quirk of min_ts), playing-now,
 * listen-count, validate-token, 404 for an unknown user, the per-IP fixed-window rate limit with its
 * X-RateLimit-* headers and 429s. Seeded users hold years of history generated lazily (history.ts).
 */

export interface EmulatedUserSpec {
  readonly name: string;
  /** Years of history ending at the emulator's start; 0 for a user with no listens. */
  readonly years?: number;
  readonly perDay?: number;
  readonly seed?: number;
}

export interface EmulatedUser {
  readonly name: string;
  /** The user's ListenBrainz user token (what the member would paste from listenbrainz.org/settings). */
  readonly token: string;
  readonly history: History;
  /** What playing-now answers; undefined for nothing. An index into `catalogue`. */
  setPlayingNow(trackIndex: number | undefined): void;
  /** A new listen at `atMs` (rounded down to the second, as ListenBrainz stores seconds). */
  addListen(atMs: number, trackIndex: number): EmulatedListen | undefined;
}

export interface RecordedRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  readonly userAgent: string | undefined;
  /** Whether an Authorization header came (its value is never recorded). */
  readonly authorized: boolean;
  /** X-RateLimit-Remaining as answered, when the endpoint is rate limited. */
  readonly remaining?: number;
}

export interface ListenBrainzControl {
  /** Requests allowed per IP per window (ListenBrainz's default: 30 per 10 s). */
  rateLimit: { perIp: number; windowSec: number };
  /** A 429 storm: every rate-limited request answers 429 with Remaining 0 until switched off. */
  storm: boolean;
  /** The next `times` requests answer `status` (e.g. 500, 502, 503) with ListenBrainz's JSON error body. */
  failNext(status: number, times?: number): void;
  latencyMs: number;
}

export interface ListenBrainzEmulatorOptions {
  readonly port?: number;
  readonly seed?: number;
  /** The clock: request times, rate-limit windows and where histories end. Date.now by default. */
  readonly now?: () => number;
  /** Default: rob (3 years, ~100,000 listens), ana (1 year, ~4,000), quiet (an account with no listens). */
  readonly users?: readonly EmulatedUserSpec[];
  readonly rateLimit?: { perIp?: number; windowSec?: number };
  readonly latencyMs?: number;
  /**
   * Tags the metadata endpoints answer beyond the seeded world's (whose shared artists carry their
   * Spotify genres as MusicBrainz genres, plus "seen live" noise).
   */
  readonly metadata?: MetadataSeed;
}

export interface ListenBrainzEmulator {
  /** The API root to use as the base URL (the real one is https://api.listenbrainz.org). */
  readonly url: string;
  readonly catalogue: readonly CatalogueTrack[];
  readonly control: ListenBrainzControl;
  readonly requests: RecordedRequest[];
  user(name: string): EmulatedUser;
  addUser(spec: EmulatedUserSpec): EmulatedUser;
  close(): Promise<void>;
}

export const DEFAULT_USERS: readonly EmulatedUserSpec[] = [
  { name: 'rob', years: 3, perDay: 95, seed: 1 },
  { name: 'ana', years: 1, perDay: 12, seed: 2 },
  { name: 'quiet', years: 0, seed: 3 },
];

const YEAR_MS = 365.25 * 86_400_000;
const MAX_ITEMS_PER_GET = 1000;
const DEFAULT_ITEMS_PER_GET = 25;
const TOO_MANY =
  'You have exceeded your rate limit. See the X-RateLimit-* response headers for more information on your current rate limit.';

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// Read-only and the same for a seed: built once per process (it derives from the Spotify world).
const catalogues = new Map<number, CatalogueTrack[]>();
function catalogueFor(seed: number): CatalogueTrack[] {
  let catalogue = catalogues.get(seed);
  if (!catalogue) catalogues.set(seed, (catalogue = buildCatalogue(seed)));
  return catalogue;
}

/** Python's int(): optional sign and surrounding whitespace, digits only. */
function pythonInt(value: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(value) ? Number.parseInt(value.trim(), 10) : undefined;
}

export async function startListenBrainzEmulator(
  options: ListenBrainzEmulatorOptions = {},
): Promise<ListenBrainzEmulator> {
  const now = options.now ?? Date.now;
  const catalogue = catalogueFor(options.seed ?? 42);
  const startedAt = now();
  const users = new Map<string, EmulatedUser & { playing?: number }>();
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
  const windows = new Map<string, { reset: number; used: number }>();
  let metadataIndex: ReturnType<typeof createMetadataIndex> | undefined;
  // Built on first use: most tests never ask for metadata.
  const metadata = () => (metadataIndex ??= createMetadataIndex(catalogue, options.metadata));

  const control: ListenBrainzControl = {
    rateLimit: { perIp: options.rateLimit?.perIp ?? 30, windowSec: options.rateLimit?.windowSec ?? 10 },
    storm: false,
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    latencyMs: options.latencyMs ?? 0,
  };

  function addUser(spec: EmulatedUserSpec): EmulatedUser {
    const years = spec.years ?? 1;
    const history = new History(
      {
        since: startedAt - years * YEAR_MS,
        until: startedAt,
        perDay: years > 0 ? (spec.perDay ?? 20) : 0,
        seed: spec.seed ?? users.size + 1,
      },
      catalogue,
    );
    const user: EmulatedUser & { playing?: number } = {
      name: spec.name,
      token: mbidFor('release', `token:${spec.name}:${spec.seed ?? 0}`),
      history,
      setPlayingNow(trackIndex) {
        user.playing = trackIndex;
      },
      addListen: (atMs, trackIndex) => history.addListen(Math.floor(atMs / 1000), trackIndex),
    };
    users.set(spec.name, user);
    return user;
  }
  for (const spec of options.users ?? DEFAULT_USERS) addUser(spec);

  function trackMetadata(track: CatalogueTrack, msid: string | undefined, withMapping: boolean) {
    const spotifyUrl = (kind: string, id: string) => `https://open.spotify.com/${kind}/${id}`;
    const names = track.artists.map((a) => a.name);
    const additional: Record<string, unknown> =
      track.style === 'spotify'
        ? {
            // What ListenBrainz's Spotify reader writes (listenbrainz/listens_importer/spotify.py).
            tracknumber: 1,
            spotify_artist_ids: track.artists.map((a) => spotifyUrl('artist', a.spotifyId!)),
            artist_names: names,
            discnumber: 1,
            duration_ms: track.durationMs,
            spotify_album_id: spotifyUrl('album', track.album.spotifyId!),
            release_artist_name: names[0],
            release_artist_names: names.slice(0, 1),
            spotify_album_artist_ids: track.artists.slice(0, 1).map((a) => spotifyUrl('artist', a.spotifyId!)),
            submission_client: 'listenbrainz',
            music_service: 'spotify.com',
            isrc: track.isrc,
            spotify_id: spotifyUrl('track', track.spotifyId!),
            origin_url: spotifyUrl('track', track.spotifyId!),
          }
        : track.style === 'mbid'
          ? {
              recording_mbid: track.recordingMbid,
              artist_mbids: track.artists.map((a) => a.mbid),
              release_mbid: track.album.mbid,
              duration_ms: track.durationMs,
              submission_client: 'navidrome',
              submission_client_version: '0.58.0',
            }
          : { submission_client: 'Pano Scrobbler' };
    if (msid) additional.recording_msid = msid;
    return {
      artist_name: track.style === 'spotify' ? names.join(', ') : names.join(' feat. '),
      track_name: track.name,
      release_name: track.album.name,
      additional_info: additional,
      ...(withMapping && track.mapped
        ? {
            mbid_mapping: {
              recording_mbid: track.recordingMbid,
              recording_name: track.name,
              release_mbid: track.album.mbid,
              artist_mbids: track.artists.map((a) => a.mbid),
              artists: track.artists.map((a, i) => ({
                artist_mbid: a.mbid,
                artist_credit_name: a.name,
                join_phrase: i < track.artists.length - 1 ? ' feat. ' : '',
              })),
              ...(track.caaId ? { caa_id: track.caaId, caa_release_mbid: track.album.mbid } : {}),
            },
          }
        : {}),
    };
  }

  const listenJson = (user: string, l: EmulatedListen) => ({
    listened_at: l.listenedAt,
    inserted_at: l.insertedAt,
    recording_msid: l.msid,
    user_name: user,
    track_metadata: trackMetadata(l.track, l.msid, true),
  });

  function findUser(name: string) {
    const user = users.get(name);
    if (!user) throw new ApiError(404, `Cannot find user: ${name}`);
    return user;
  }

  function listens(name: string, query: Record<string, string>) {
    const user = findUser(name);
    const ts = (key: string) => {
      if (query[key] === undefined) return undefined;
      const value = pythonInt(query[key]!);
      if (value === undefined) throw new ApiError(400, `Incorrect ${key} timestamp argument: ${query[key]}`);
      return value;
    };
    const max = ts('max_ts');
    const min = ts('min_ts');
    if (max !== undefined && min !== undefined && max <= min)
      throw new ApiError(400, 'max_ts should be greater than min_ts');
    let count = DEFAULT_ITEMS_PER_GET;
    if (query.count) {
      const value = pythonInt(query.count);
      if (value === undefined) throw new ApiError(400, `Invalid count argument: ${query.count}`);
      count = Math.min(value, MAX_ITEMS_PER_GET);
    }
    if (count < 0) throw new ApiError(400, 'Number of items requested should be positive');
    // With min_ts, ListenBrainz reads upwards from it (ascending, then reversed): the `count` listens
    // just after min_ts, not the newest ones (timescale_listenstore.py fetch_listens).
    const found =
      count === 0
        ? []
        : min !== undefined
          ? user.history.oldestAbove(min, max, count).reverse()
          : user.history.newestBelow(max, undefined, count);
    const { oldest, latest } = user.history.bounds();
    return {
      payload: {
        count: found.length,
        listens: found.map((l) => listenJson(name, l)),
        latest_listen_ts: latest,
        oldest_listen_ts: oldest,
        user_id: name,
      },
    };
  }

  function route(
    method: string,
    path: string,
    query: Record<string, string>,
    req: IncomingMessage,
    body: unknown,
  ): unknown {
    if (path === '/1/metadata/recording/' && method === 'POST') return metadata().postRecordings(body);
    if (method !== 'GET') throw new ApiError(405, 'The method is not allowed for the requested URL.');
    if (path === '/1/metadata/recording/') return metadata().getRecordings(query);
    if (path === '/1/metadata/artist/') return metadata().getArtists(query);
    const user = /^\/1\/user\/([^/]+)\/(listens|listen-count|playing-now)$/.exec(path);
    if (user) {
      const name = decodeURIComponent(user[1]!);
      if (user[2] === 'listens') return listens(name, query);
      const found = findUser(name);
      if (user[2] === 'listen-count') return { payload: { count: found.history.count() } };
      const playing = found.playing === undefined ? undefined : catalogue[found.playing];
      return {
        payload: {
          count: playing ? 1 : 0,
          user_id: name,
          playing_now: true,
          listens: playing
            ? [{ track_metadata: trackMetadata(playing, undefined, false), user_name: name, playing_now: true }]
            : [],
        },
      };
    }
    if (path === '/1/validate-token') {
      const header = req.headers.authorization;
      const token =
        header && header.toLowerCase().startsWith('token ') ? (header.split(' ')[1] ?? '') : (query.token ?? '');
      if (!token) throw new ApiError(400, 'You need to provide an Authorization token.');
      const owner = [...users.values()].find((u) => u.token === token);
      return owner
        ? { code: 200, message: 'Token valid.', valid: true, user_name: owner.name }
        : { code: 200, message: 'Token invalid.', valid: false };
    }
    throw new ApiError(404, 'Not Found');
  }

  /** brainzutils.ratelimit: a fixed window aligned on multiples of the window, counted per IP. */
  function rateLimit(ip: string) {
    const nowSec = Math.floor(now() / 1000);
    const per = control.rateLimit.windowSec;
    const reset = Math.floor(nowSec / per) * per + per;
    let window = windows.get(ip);
    if (!window || window.reset !== reset) windows.set(ip, (window = { reset, used: 0 }));
    window.used++;
    const limit = control.rateLimit.perIp;
    return {
      over: window.used > limit || control.storm,
      headers: {
        'X-RateLimit-Remaining': String(control.storm ? 0 : Math.max(limit - window.used, 0)),
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Reset': String(reset),
        'X-RateLimit-Reset-In': String(reset - nowSec),
        'Access-Control-Expose-Headers':
          'X-RateLimit-Remaining,X-RateLimit-Limit,X-RateLimit-Reset,X-RateLimit-Reset-In',
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    if (control.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, control.latencyMs));
    const limited =
      /^\/1\/(user\/[^/]+\/(listens|listen-count|playing-now)|validate-token|metadata\/(recording|artist)\/)$/.test(
        url.pathname,
      );
    let posted: unknown;
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        posted = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        posted = undefined;
      }
    }
    const limit = limited ? rateLimit(req.socket.remoteAddress ?? 'unknown') : undefined;
    let status = 200;
    let body: unknown;
    const failure = failures.shift();
    if (limit?.over) {
      status = 429;
      body = { code: 429, error: TOO_MANY };
    } else if (failure !== undefined) {
      status = failure;
      body = { code: failure, error: failure === 503 ? 'Service Unavailable' : 'Internal Server Error' };
    } else {
      try {
        body = route(req.method ?? 'GET', url.pathname, query, req, posted);
      } catch (error) {
        if (error instanceof MetadataError) {
          status = 400;
          body = { code: 400, error: error.message };
        } else if (error instanceof ApiError) {
          status = error.status;
          body = { code: error.status, error: error.message };
        } else throw error;
      }
    }
    requests.push({
      at,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      status,
      userAgent: req.headers['user-agent'],
      authorized: req.headers.authorization !== undefined,
      ...(limit ? { remaining: Number(limit.headers['X-RateLimit-Remaining']) } : {}),
    });
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      ...(limit?.headers ?? {}),
    });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ code: 500, error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    catalogue,
    control,
    requests,
    user(name) {
      const user = users.get(name);
      if (!user) throw new Error(`no emulated ListenBrainz user ${name}`);
      return user;
    },
    addUser,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
