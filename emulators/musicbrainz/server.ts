import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tag or curated genre with its vote count, as MusicBrainz returns them. */
export interface EmulatedTag {
  readonly name: string;
  readonly count: number;
}

export interface EmulatedArtist {
  readonly id: string;
  readonly name: string;
  readonly tags?: readonly EmulatedTag[];
  readonly genres?: readonly EmulatedTag[];
  /** Spotify artist ids MusicBrainz links to this artist (its open.spotify.com/artist/<id> URL relations). */
  readonly spotifyIds?: readonly string[];
}

export interface EmulatedRecording {
  readonly id: string;
  readonly title: string;
  readonly isrcs: readonly string[];
  readonly artistIds: readonly string[];
  readonly tags?: readonly EmulatedTag[];
  readonly genres?: readonly EmulatedTag[];
}

export interface RecordedRequest {
  /** Epoch ms when the request arrived. */
  readonly at: number;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly userAgent: string | undefined;
  readonly status: number;
}

const MEANINGFUL_USER_AGENT = /^\S+\/\S+ \( ?\S.* ?\)$/;

export interface MusicBrainzEmulator {
  /** Base URL to use as MUSICBRAINZ_URL, ending in /ws/2. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export interface MusicBrainzEmulatorOptions {
  readonly artists?: readonly EmulatedArtist[];
  readonly recordings?: readonly EmulatedRecording[];
  /**
   * Like musicbrainz.org: a client asking again sooner than this gets 503. Default 900: one request
   * a second, with slack for the jitter between when a client sends and when the server reads.
   */
  readonly minIntervalMs?: number;
  /** The clock requests are timed by (rate limit and `at`); Date.now by default, tests move their own. */
  readonly now?: () => number;
}

/**
 * A small MusicBrainz web service (ws/2, JSON only) on 127.0.0.1: ISRC lookup, artist lookup,
 * artist search and url lookup (Spotify artist links, inc=artist-rels), with the rate limit (503 when faster than one request a second) and the
 * User-Agent rule (403 without an "App/version ( contact )" one) of the real service. It records every request.
 */
export async function startMusicBrainzEmulator(options: MusicBrainzEmulatorOptions = {}): Promise<MusicBrainzEmulator> {
  const artists = new Map((options.artists ?? []).map((a) => [a.id, a]));
  const recordings = options.recordings ?? [];
  const minInterval = options.minIntervalMs ?? 900;
  const now = options.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  let lastServedAt = -Infinity;

  const artistJson = (artist: EmulatedArtist, includeTags: boolean, score?: number) => ({
    id: artist.id,
    name: artist.name,
    'sort-name': artist.name,
    ...(score === undefined ? {} : { score }),
    ...(includeTags ? { tags: artist.tags ?? [], genres: artist.genres ?? [] } : {}),
  });

  function route(path: string, query: Record<string, string>): [number, unknown] {
    const inc = (query.inc ?? '').split('+');
    const isrc = /^\/ws\/2\/isrc\/([^/]+)$/.exec(path);
    if (isrc) {
      const code = decodeURIComponent(isrc[1]!);
      const found = recordings.filter((r) => r.isrcs.includes(code));
      if (found.length === 0)
        return [404, { error: 'Not Found', help: 'For usage, please see: https://musicbrainz.org/development/mmd' }];
      return [
        200,
        {
          isrc: code,
          recordings: found.map((r) => ({
            id: r.id,
            title: r.title,
            ...(inc.includes('tags') ? { tags: r.tags ?? [] } : {}),
            ...(inc.includes('genres') ? { genres: r.genres ?? [] } : {}),
            ...(inc.includes('artist-credits')
              ? {
                  'artist-credit': r.artistIds.map((id) => ({
                    name: artists.get(id)?.name ?? id,
                    joinphrase: '',
                    artist: artistJson(artists.get(id) ?? { id, name: id }, false),
                  })),
                }
              : {}),
          })),
        },
      ];
    }
    if (path === '/ws/2/url') {
      // A url lookup by resource: the Spotify artist links MusicBrainz keeps, with inc=artist-rels.
      const spotify = /^https:\/\/open\.spotify\.com\/artist\/([A-Za-z0-9]+)$/.exec(query.resource ?? '');
      const artist = spotify && [...artists.values()].find((a) => a.spotifyIds?.includes(spotify[1]!));
      if (!artist) return [404, { error: 'Not Found' }];
      return [
        200,
        {
          id: `url-${artist.id}-${spotify[1]}`,
          resource: query.resource,
          ...(inc.includes('artist-rels')
            ? {
                relations: [
                  {
                    type: 'free streaming',
                    'target-type': 'artist',
                    direction: 'backward',
                    artist: artistJson(artist, false),
                  },
                ],
              }
            : {}),
        },
      ];
    }
    const lookup = /^\/ws\/2\/artist\/([^/]+)$/.exec(path);
    if (lookup) {
      const artist = artists.get(decodeURIComponent(lookup[1]!));
      return artist
        ? [200, artistJson(artist, inc.includes('tags') || inc.includes('genres'))]
        : [404, { error: 'Not Found' }];
    }
    if (path === '/ws/2/artist') {
      // Enough of Lucene for artist:"name" or a bare name: exact (case-insensitive) scores 100, partial 70.
      const wanted = (
        /^artist:"((?:[^"\\]|\\.)*)"$/.exec(query.query ?? '')?.[1]?.replace(/\\(.)/g, '$1') ??
        query.query ??
        ''
      ).toLowerCase();
      const matches = [...artists.values()]
        .map((a) => ({
          a,
          score: a.name.toLowerCase() === wanted ? 100 : wanted && a.name.toLowerCase().includes(wanted) ? 70 : 0,
        }))
        .filter((m) => m.score > 0)
        .sort((x, y) => y.score - x.score)
        .slice(0, Number(query.limit ?? 25));
      return [
        200,
        {
          created: new Date().toISOString(),
          count: matches.length,
          offset: 0,
          artists: matches.map((m) => artistJson(m.a, true, m.score)),
        },
      ];
    }
    return [400, { error: 'Invalid request' }];
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const at = now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const query = Object.fromEntries(url.searchParams);
    const userAgent = req.headers['user-agent'];
    let status: number, body: unknown;
    // The real service blocks anonymous and library-default agents; it wants "App/version ( contact )".
    if (!userAgent || !MEANINGFUL_USER_AGENT.test(userAgent))
      [status, body] = [403, { error: 'Requests without a meaningful User-Agent are blocked' }];
    else if (at - lastServedAt < minInterval)
      [status, body] = [503, { error: 'Your requests are exceeding the allowable rate limit.' }];
    else if (query.fmt !== 'json') [status, body] = [400, { error: 'This emulator only speaks fmt=json' }];
    else [status, body] = route(url.pathname, query);
    if (status !== 503 && status !== 403) lastServedAt = at;
    requests.push({ at, path: url.pathname, query, userAgent, status });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ws/2`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
