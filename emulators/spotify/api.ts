import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { apiError, page, paging, type ApiLocals } from './rules.js';
import type { Listening } from './listening.js';
import type { EItem, EPlaylist, World } from './seed.js';
import { createSerializers, snapshotId } from './serialize.js';

const me = (res: Response) => (res.locals as ApiLocals).userId;
const canWrite = (p: EPlaylist, userId: string) =>
  p.ownerId === userId || (p.collaborative && p.collaborators.includes(userId));

/** The Web API subset Encore uses, stateful: writes change what later reads see. */
export function apiRouter(
  world: World,
  apiUrl: () => string,
  now: () => number,
  listening: Listening,
  albumImages?: Parameters<typeof createSerializers>[2],
): Router {
  const s = createSerializers(world, apiUrl, albumImages);
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  const playlistFor = (req: Request, res: Response): EPlaylist | undefined => {
    const p = world.playlists.get(String(req.params.id));
    if (!p || p.spotifyOwned) {
      apiError(res, 404, 'Resource not found');
      return undefined;
    }
    return p;
  };
  const writable = (req: Request, res: Response) => {
    const p = playlistFor(req, res);
    if (p && !canWrite(p, me(res))) {
      apiError(res, 403, 'Forbidden');
      return undefined;
    }
    return p;
  };
  const itemFromUri = (uri: string): EItem | undefined => {
    const [, type, id] = /^spotify:(track|episode):([A-Za-z0-9]+)$/.exec(uri) ?? [];
    if (type === 'track' && id && world.tracks.has(id))
      return { kind: 'track', id, addedAt: new Date(now()).toISOString(), addedBy: '' };
    if (type === 'episode' && id && world.episodes.has(id))
      return { kind: 'episode', id, addedAt: new Date(now()).toISOString(), addedBy: '' };
    return undefined;
  };
  /** A release the emulator's clock has not reached yet is nowhere in the catalogue. */
  const unreleased = (id: string) => (world.releasedAt?.get(id) ?? -Infinity) > now();
  const uriOf = (item: EItem) => (item.kind === 'local' ? `local:${item.name}` : `spotify:${item.kind}:${item.id}`);
  const touched = (p: EPlaylist) => {
    p.snapshot++;
    return { snapshot_id: snapshotId(p) };
  };

  router.get('/me', (_req, res) => res.json(s.user(world.users.get(me(res))!)));

  router.get('/me/playlists', (req, res) => {
    const pg = paging(req, res, 50);
    if (!pg) return;
    const mine = [...world.playlists.values()].filter((p) => p.ownerId === me(res) || p.followers.includes(me(res)));
    res.json({
      ...page(req, apiUrl(), mine, pg.limit, pg.offset),
      items: mine.slice(pg.offset, pg.offset + pg.limit).map((p) => s.playlist(p)),
    });
  });

  router.post('/me/playlists', (req, res) => {
    const body = req.body as { name?: string; description?: string; public?: boolean; collaborative?: boolean };
    if (!body.name) return apiError(res, 400, 'Missing required field: name');
    const p: EPlaylist = {
      id: randomBytes(11).toString('hex').slice(0, 22),
      name: body.name,
      description: body.description ?? '',
      ownerId: me(res),
      public: body.public ?? true, // Spotify's default: callers must send false for a private playlist
      collaborative: body.collaborative ?? false,
      collaborators: [],
      followers: [],
      items: [],
      snapshot: 1,
    };
    world.playlists.set(p.id, p);
    res.status(201).json(s.playlist(p));
  });

  router.get('/playlists/:id', (req, res) => {
    const p = playlistFor(req, res);
    if (p) res.json(s.playlist(p, canWrite(p, me(res))));
  });

  router.get('/playlists/:id/items', (req, res) => {
    const p = playlistFor(req, res);
    if (!p) return;
    if (!canWrite(p, me(res))) return apiError(res, 403, 'Forbidden');
    const pg = paging(req, res, 50, 20);
    if (!pg) return;
    res.json({
      ...page(req, apiUrl(), p.items, pg.limit, pg.offset),
      items: p.items.slice(pg.offset, pg.offset + pg.limit).map(s.playlistItem),
    });
  });

  router.post('/playlists/:id/items', (req, res) => {
    const p = writable(req, res);
    if (!p) return;
    const body = req.body as { uris?: string[]; position?: number };
    const uris =
      body.uris ??
      String(req.query.uris ?? '')
        .split(',')
        .filter(Boolean);
    if (uris.length === 0 || uris.length > 100)
      return apiError(res, 400, 'You can add a maximum of 100 items per request.');
    const items = uris.map(itemFromUri);
    if (items.some((i) => !i)) return apiError(res, 400, 'Invalid base62 id');
    const at = body.position ?? p.items.length;
    p.items.splice(at, 0, ...(items as EItem[]).map((i) => ({ ...i, addedBy: me(res) })));
    res.status(201).json(touched(p));
  });

  router.put('/playlists/:id/items', (req, res) => {
    const p = writable(req, res);
    if (!p) return;
    const body = req.body as {
      uris?: string[];
      range_start?: number;
      insert_before?: number;
      range_length?: number;
      snapshot_id?: string;
    };
    if (body.uris) {
      if (body.uris.length > 100) return apiError(res, 400, 'You can add a maximum of 100 items per request.');
      const items = body.uris.map(itemFromUri);
      if (items.some((i) => !i)) return apiError(res, 400, 'Invalid base62 id');
      p.items = (items as EItem[]).map((i) => ({ ...i, addedBy: me(res) }));
      return res.json(touched(p));
    }
    const { range_start: start, insert_before: before, range_length: length = 1 } = body;
    if (start === undefined || before === undefined) return apiError(res, 400, 'Missing range_start or insert_before');
    if (body.snapshot_id && body.snapshot_id !== snapshotId(p))
      return apiError(res, 400, 'Snapshot id is not the latest');
    if (start < 0 || start + length > p.items.length || before < 0 || before > p.items.length)
      return apiError(res, 400, 'Index out of bounds');
    const moved = p.items.splice(start, length);
    const target = before > start ? before - length : before;
    p.items.splice(target, 0, ...moved);
    res.json(touched(p));
  });

  router.delete('/playlists/:id/items', (req, res) => {
    const p = writable(req, res);
    if (!p) return;
    const body = req.body as { items?: Array<{ uri: string }>; tracks?: Array<{ uri: string }> };
    const gone = new Set((body.items ?? body.tracks ?? []).map((t) => t.uri));
    if (gone.size === 0 || gone.size > 100)
      return apiError(res, 400, 'You can remove a maximum of 100 items per request.');
    p.items = p.items.filter((i) => !gone.has(uriOf(i)));
    res.json(touched(p));
  });

  router.get('/me/top/:type', (req, res) => {
    const type = req.params.type;
    if (type !== 'artists' && type !== 'tracks') return apiError(res, 404, 'Resource not found');
    const range = String(req.query.time_range ?? 'medium_term');
    if (!['short_term', 'medium_term', 'long_term'].includes(range)) return apiError(res, 400, 'Invalid time range');
    const pg = paging(req, res, 50);
    if (!pg) return;
    const user = world.users.get(me(res))!;
    const ids = (type === 'artists' ? user.topArtists : user.topTracks)[range] ?? [];
    const items = ids.map((id) =>
      type === 'artists' ? s.artist(world.artists.get(id)!) : s.track(world.tracks.get(id)!),
    );
    res.json(page(req, apiUrl(), items, pg.limit, pg.offset));
  });

  router.get('/me/following', (req, res) => {
    if (req.query.type !== 'artist') return apiError(res, 400, 'type must be artist');
    const limit = Number(req.query.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return apiError(res, 400, 'Invalid limit');
    const ids = world.users.get(me(res))!.followedArtists;
    const after = req.query.after ? ids.indexOf(String(req.query.after)) + 1 : 0;
    const slice = ids.slice(after, after + limit);
    const last = slice.at(-1);
    const more = after + limit < ids.length;
    res.json({
      artists: {
        href: `${apiUrl()}/me/following?type=artist&limit=${limit}`,
        items: slice.map((id) => s.artist(world.artists.get(id)!)),
        limit,
        next: more && last ? `${apiUrl()}/me/following?type=artist&after=${last}&limit=${limit}` : null,
        cursors: { after: more ? last : null },
        total: ids.length,
      },
    });
  });

  router.get('/me/tracks', (req, res) => {
    const pg = paging(req, res, 50);
    if (!pg) return;
    const saved = world.users
      .get(me(res))!
      .savedTracks.map((t) => ({ added_at: t.addedAt, track: s.track(world.tracks.get(t.id)!) }));
    res.json(page(req, apiUrl(), saved, pg.limit, pg.offset));
  });

  router.get('/me/player/recently-played', (req, res) => {
    const limit = Number(req.query.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return apiError(res, 400, 'Invalid limit');
    if (req.query.after && req.query.before) return apiError(res, 400, 'Only one of after and before');
    // What the user played up to the emulator's now, newest first; Spotify keeps only the last 50.
    let plays = listening.recent(me(res), now(), 50);
    if (req.query.after) plays = plays.filter((p) => p.playedAt > Number(req.query.after));
    if (req.query.before) plays = plays.filter((p) => p.playedAt < Number(req.query.before));
    const items = plays.slice(0, limit).map((p) => {
      const track = world.tracks.get(p.trackId)!;
      const context = {
        type: 'album',
        uri: `spotify:album:${track.albumId}`,
        href: `${apiUrl()}/albums/${track.albumId}`,
        external_urls: { spotify: `https://open.spotify.com/album/${track.albumId}` },
      };
      return { track: s.track(track), played_at: new Date(p.playedAt).toISOString(), context };
    });
    res.json({
      href: `${apiUrl()}/me/player/recently-played?limit=${limit}`,
      items,
      limit,
      next: items.length
        ? `${apiUrl()}/me/player/recently-played?before=${plays[items.length - 1]!.playedAt}&limit=${limit}`
        : `${apiUrl()}/me/player/recently-played?limit=${limit}`,
      cursors: items.length
        ? { after: String(plays[0]!.playedAt), before: String(plays[items.length - 1]!.playedAt) }
        : {},
    });
  });

  // What the simulated listening is playing at the emulator's now: the play whose span holds it.
  // Spotify answers 204 with no body when nothing plays, and 401 "Permissions missing" to a token
  // without the scope (a link made before the app asked for it).
  router.get('/me/player/currently-playing', (req, res) => {
    const granted = (res.locals as ApiLocals).scope.split(' ');
    if (!granted.includes('user-read-currently-playing') && !granted.includes('user-read-playback-state'))
      return apiError(res, 401, 'Permissions missing');
    const at = now();
    const next = listening.playsBetween(me(res), at, at + 3_600_000)[0];
    if (!next || next.playedAt - next.msPlayed > at) return res.status(204).end();
    const track = world.tracks.get(next.trackId)!;
    res.json({
      timestamp: at,
      context: {
        type: 'album',
        uri: `spotify:album:${track.albumId}`,
        href: `${apiUrl()}/albums/${track.albumId}`,
        external_urls: { spotify: `https://open.spotify.com/album/${track.albumId}` },
      },
      progress_ms: at - (next.playedAt - next.msPlayed),
      item: s.track(track),
      currently_playing_type: 'track',
      actions: { disallows: { resuming: true } },
      is_playing: true,
    });
  });

  router.get('/me/library/contains', (req, res) => {
    const uris = String(req.query.uris ?? '')
      .split(',')
      .filter(Boolean);
    if (uris.length === 0 || uris.length > 40) return apiError(res, 400, 'Between 1 and 40 URIs');
    const user = world.users.get(me(res))!;
    const saved = new Set(user.savedTracks.map((t) => `spotify:track:${t.id}`));
    const followed = new Set(user.followedArtists.map((id) => `spotify:artist:${id}`));
    const answers: boolean[] = [];
    for (const uri of uris) {
      const [, type, id] =
        /^spotify:(track|album|episode|show|audiobook|artist|user|playlist):([A-Za-z0-9]+)$/.exec(uri) ?? [];
      if (!type || !id) return apiError(res, 400, `Invalid URI: ${uri}`);
      answers.push(
        type === 'track'
          ? saved.has(uri)
          : type === 'artist'
            ? followed.has(uri)
            : type === 'playlist'
              ? [...world.playlists.values()].some((p) => p.id === id && p.followers.includes(me(res)))
              : false,
      );
    }
    res.json(answers);
  });

  router.get('/artists/:id', (req, res) => {
    const a = world.artists.get(String(req.params.id));
    return a ? res.json(s.artist(a)) : apiError(res, 404, 'Resource not found');
  });
  router.get('/artists/:id/albums', (req, res) => {
    // Since 2026 a page holds at most 10 albums; newest first, as Spotify lists a discography.
    const pg = paging(req, res, 10, 5);
    if (!pg) return;
    const albums = [...world.albums.values()]
      .filter((al) => al.artistIds.includes(String(req.params.id)) && !unreleased(al.id))
      .sort((a, b) => (a.releaseDate < b.releaseDate ? 1 : a.releaseDate > b.releaseDate ? -1 : 0))
      .map(s.album);
    res.json(page(req, apiUrl(), albums, pg.limit, pg.offset));
  });
  router.get('/albums/:id/tracks', (req, res) => {
    const pg = paging(req, res, 50);
    if (!pg) return;
    const tracks = world.trackList
      .filter((t) => t.albumId === req.params.id)
      .map((t) => {
        const { album: _album, external_ids: _ids, ...simple } = s.track(t);
        return simple;
      });
    res.json(page(req, apiUrl(), tracks, pg.limit, pg.offset));
  });
  router.get('/tracks/:id', (req, res) => {
    const t = world.tracks.get(String(req.params.id));
    return t ? res.json(s.track(t)) : apiError(res, 404, 'Resource not found');
  });

  router.get('/search', (req, res) => {
    const pg = paging(req, res, 10, 10, 1000);
    if (!pg) return;
    const q = String(req.query.q ?? '').toLowerCase();
    const types = String(req.query.type ?? '').split(',');
    if (!q || types.some((t) => !['artist', 'track', 'album'].includes(t)))
      return apiError(res, 400, 'Bad search query');
    const genre = /genre:"?([^"]+)"?/.exec(q)?.[1];
    const artistName = /artist:"?([^"]+)"?/.exec(q)?.[1];
    const text = q.replace(/\w+:("[^"]*"|\S+)/g, '').trim();
    const out: Record<string, unknown> = {};
    if (types.includes('artist')) {
      const found = world.artistList.filter(
        (a) => (!genre || a.genres.includes(genre)) && (!text || a.name.toLowerCase().includes(text)),
      );
      out.artists = page(req, apiUrl(), found.map(s.artist), pg.limit, pg.offset);
    }
    if (types.includes('track')) {
      const found = world.trackList.filter((t) => {
        if (unreleased(t.id)) return false;
        const artists = t.artistIds.map((id) => world.artists.get(id)!);
        return (
          (!genre || artists.some((a) => a.genres.includes(genre))) &&
          (!artistName || artists.some((a) => a.name.toLowerCase().includes(artistName))) &&
          (!text || t.name.toLowerCase().includes(text))
        );
      });
      out.tracks = page(req, apiUrl(), found.slice(0, 1000).map(s.track), pg.limit, pg.offset);
    }
    if (types.includes('album')) {
      // tag:new: albums released in the past two weeks (album searches only, as Spotify documents).
      const fresh = /(^|\s)tag:new(\s|$)/.test(q)
        ? new Date(now() - 14 * 86_400_000).toISOString().slice(0, 10)
        : undefined;
      const found = [...world.albums.values()].filter(
        (al) =>
          (!text || al.name.toLowerCase().includes(text)) &&
          !unreleased(al.id) &&
          (!fresh || al.releaseDate >= fresh) &&
          (!artistName || al.artistIds.some((id) => world.artists.get(id)!.name.toLowerCase().includes(artistName))),
      );
      out.albums = page(req, apiUrl(), found.slice(0, 1000).map(s.album), pg.limit, pg.offset);
    }
    res.json(out);
  });

  router.use((_req, res) => apiError(res, 404, 'Service not found'));
  return router;
}
