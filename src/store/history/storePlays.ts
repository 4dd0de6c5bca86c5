import type pg from 'pg';
import type { CatalogueTrack, NewPlay } from '../../app/history/ports.js';
import type { SourceKind } from '../../app/sources/ports.js';
import { rollupDelta } from '../../core/history/index.js';
import { SAME_LISTEN_MS, firstSightings } from '../../core/sources/index.js';
import { mergeLearned } from '../catalogue/learn.js';
import { addToSocialTotals } from '../social/socialTotalsWriter.js';
import { lockMember } from './memberLock.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * A play as storePlays takes it: the collector's and an import's (NewPlay), or a listening
 * source's, whose catalogue rows may carry MusicBrainz ids.
 */
export interface PlayToStore extends Omit<NewPlay, 'source' | 'track'> {
  source: NewPlay['source'];
  track: Omit<CatalogueTrack, 'artists'> & {
    mbid?: string;
    artists: Array<{ id: string; name: string; mbid?: string }>;
  };
}

const byKey = <T>(rows: Iterable<[string, T]>) =>
  [...new Map(rows).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
const iso = (ms: number) => new Date(ms).toISOString();
/** How far before its end a play's start is looked for: longer tracks are not matched by start. */
const LONGEST_MS = 2 * 3_600_000;

/**
 * Tracks, albums and artists the plays refer to. Rows are written in key order so that two
 * transactions sharing catalogue rows cannot deadlock; they are never changed, except that an MBID
 * a listening source gives fills an empty one.
 */
async function upsertCatalogue(db: Queryable, plays: readonly PlayToStore[]): Promise<void> {
  type Artist = PlayToStore['track']['artists'][number];
  const artists = byKey(plays.flatMap((p) => p.track.artists.map((a) => [a.id, a] as [string, Artist])));
  const albums = byKey(
    plays.flatMap((p) =>
      p.track.album ? [[p.track.album.id, p.track.album] as [string, NonNullable<PlayToStore['track']['album']>]] : [],
    ),
  );
  const tracks = byKey(plays.map((p) => [p.track.id, p.track] as [string, PlayToStore['track']]));
  if (artists.length)
    await db.query(
      `INSERT INTO artists (id, name, mbid) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
      [artists.map((a) => a.id), artists.map((a) => a.name), artists.map((a) => a.mbid ?? null)],
    );
  const artistMbids = artists.filter((a) => a.mbid);
  if (artistMbids.length)
    await db.query(
      `UPDATE artists a SET mbid = v.mbid FROM unnest($1::text[], $2::text[]) AS v (id, mbid) WHERE a.id = v.id AND a.mbid IS NULL`,
      [artistMbids.map((a) => a.id), artistMbids.map((a) => a.mbid)],
    );
  if (albums.length)
    await db.query(
      `INSERT INTO albums (id, name, release_date, image_url, mbid)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT (id) DO NOTHING`,
      [
        albums.map((a) => a.id),
        albums.map((a) => a.name),
        albums.map((a) => a.releaseDate ?? null),
        albums.map((a) => a.imageUrl ?? null),
        albums.map((a) => a.mbid ?? null),
      ],
    );
  // Covers for the /chart grids: a URL or MBID learnt later fills an empty one (rows predating 0012).
  const covered = albums.filter((a) => a.imageUrl || a.mbid);
  if (covered.length)
    await db.query(
      `UPDATE albums al SET image_url = coalesce(al.image_url, v.image_url), mbid = coalesce(al.mbid, v.mbid)
       FROM unnest($1::text[], $2::text[], $3::text[]) AS v (id, image_url, mbid)
       WHERE al.id = v.id AND ((al.image_url IS NULL AND v.image_url IS NOT NULL) OR (al.mbid IS NULL AND v.mbid IS NOT NULL))`,
      [covered.map((a) => a.id), covered.map((a) => a.imageUrl ?? null), covered.map((a) => a.mbid ?? null)],
    );
  await db.query(
    `INSERT INTO tracks (id, name, album_id, duration_ms, isrc, mbid)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      tracks.map((t) => t.id),
      tracks.map((t) => t.name),
      tracks.map((t) => t.album?.id ?? null),
      tracks.map((t) => t.durationMs ?? null),
      tracks.map((t) => t.isrc ?? null),
      tracks.map((t) => t.mbid ?? null),
    ],
  );
  const trackMbids = tracks.filter((t) => t.mbid);
  if (trackMbids.length)
    await db.query(
      `UPDATE tracks t SET mbid = v.mbid FROM unnest($1::text[], $2::text[]) AS v (id, mbid) WHERE t.id = v.id AND t.mbid IS NULL`,
      [trackMbids.map((t) => t.id), trackMbids.map((t) => t.mbid)],
    );
  const credits = tracks.flatMap((t) => t.artists.map((a, position) => ({ trackId: t.id, position, artistId: a.id })));
  if (credits.length)
    await db.query(
      `INSERT INTO track_artists (track_id, position, artist_id) SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[]) ON CONFLICT DO NOTHING`,
      [credits.map((c) => c.trackId), credits.map((c) => c.position), credits.map((c) => c.artistId)],
    );
}

/** Sources that report listens (and may see one Spotify already did): see `alreadyStored`. */
const LISTENING_SOURCES: ReadonlySet<string> = new Set<SourceKind>(['listenbrainz', 'lastfm']);
const fromListeningSource = (p: PlayToStore) => LISTENING_SOURCES.has(p.source);

/**
 * The plays with the ids a merge replaced swapped for their survivors. A listening source's play is
 * credited to the artists the catalogue holds for its track, not to those it named itself: two
 * listens of one recording may name its artists differently (one mapped to MusicBrainz, one not)
 * while the catalogue keeps one list per track, so counting the play's own would make the rollups
 * depend on which listen was written first, that is on where page boundaries fell. Spotify's plays
 * keep their own: Spotify's credits of a track id are a fact, the same on every play.
 */
async function creditedByCatalogue(
  db: Queryable,
  plays: readonly PlayToStore[],
  merged: Awaited<ReturnType<typeof mergeLearned>>,
): Promise<PlayToStore[]> {
  const trackOf = (p: PlayToStore) => merged.tracks.get(p.track.id) ?? p.track.id;
  const recredited = new Set(plays.filter((p) => fromListeningSource(p) || merged.tracks.has(p.track.id)).map(trackOf));
  const { rows } = recredited.size
    ? await db.query<{ id: string; ids: string[]; names: string[] }>(
        `SELECT ta.track_id AS id, array_agg(a.id ORDER BY ta.position) AS ids, array_agg(a.name ORDER BY ta.position) AS names
         FROM track_artists ta JOIN artists a ON a.id = ta.artist_id WHERE ta.track_id = ANY($1::text[]) GROUP BY ta.track_id`,
        [[...recredited]],
      )
    : { rows: [] };
  const credits = new Map(rows.map((r) => [r.id, r.ids.map((id, i) => ({ id, name: r.names[i]! }))]));
  return plays.map((p) => {
    const trackId = trackOf(p);
    const stored = fromListeningSource(p) || trackId !== p.track.id ? credits.get(trackId) : undefined;
    if (stored) return { ...p, track: { ...p.track, id: trackId, artists: stored } };
    // Spotify's own credits, or a track the catalogue holds none for: the play's artists, on their survivors.
    const artists = [
      ...new Map(
        p.track.artists.map((a) => {
          const id = merged.artists.get(a.id) ?? a.id;
          return [id, { ...a, id }] as const;
        }),
      ).values(),
    ];
    return { ...p, track: { ...p.track, id: trackId, artists } };
  });
}

/**
 * A listen counts once (core/sources/sameListen.ts, in SQL): the positions of the plays the member
 * already has, as a play of the same track or of one with the same match key, ending within
 * SAME_LISTEN_MS of it, or starting within it when either length is unknown or estimated. Two of
 * Spotify's own plays (collected, imported) are not compared: each is a fact with its own end
 * instant, deduplicated by it (and an import has its own rule); a listening source's play is
 * compared with every play, its own source's included (its end moves once the catalogue learns the
 * track's length).
 */
async function alreadyStored(db: Queryable, memberId: string, plays: readonly PlayToStore[]): Promise<Set<number>> {
  const near = `${SAME_LISTEN_MS / 1000}`;
  const startOf = (p: PlayToStore) => p.playedAt - (p.msPlayed ?? 0);
  // One index range per play (plays_pkey): ends near its end, or starts near its start.
  const { rows } = await db.query<{ ord: string }>(
    `SELECT i.ord FROM unnest($2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::bool[], $8::bool[])
       WITH ORDINALITY AS i (played_at, started_at, lo, hi, track_id, loose, listened, ord)
     JOIN tracks ti ON ti.id = i.track_id
     CROSS JOIN LATERAL (
       SELECT 1 FROM plays p JOIN tracks t ON t.id = p.track_id
       WHERE p.member_id = $1 AND p.played_at BETWEEN i.lo AND i.hi
         AND (i.listened OR p.source IN ('listenbrainz', 'lastfm'))
         AND (p.track_id = i.track_id OR t.match_key = ti.match_key)
         AND (abs(extract(epoch FROM p.played_at - i.played_at)) <= ${near}
           OR ((i.loose OR p.ms_played IS NULL OR p.ms_estimated)
             AND abs(extract(epoch FROM (p.played_at - coalesce(p.ms_played, 0) * interval '1 ms') - i.started_at)) <= ${near}))
       LIMIT 1) hit`,
    [
      memberId,
      plays.map((p) => iso(p.playedAt)),
      plays.map((p) => iso(startOf(p))),
      plays.map((p) => iso(Math.min(p.playedAt, startOf(p)) - SAME_LISTEN_MS)),
      plays.map((p) => iso(Math.max(p.playedAt, startOf(p) + LONGEST_MS) + SAME_LISTEN_MS)),
      plays.map((p) => p.track.id),
      plays.map((p) => p.msPlayed === null || p.msEstimated),
      plays.map(fromListeningSource),
    ],
  );
  return new Set(rows.map((r) => Number(r.ord) - 1));
}

/** The per-day rollups kept by a key: fixed names, never from input, so they may stand in the SQL. */
const DAILY_ROLLUPS = {
  artists: { table: 'member_daily_artists', key: 'artist_id' },
  genres: { table: 'member_daily_genres', key: 'genre' },
} as const;

/** Adds each day's plays and minutes of a key (an artist, a genre) to the member's rollup of them. */
async function addToDailyRollup(
  db: Queryable,
  rollup: keyof typeof DAILY_ROLLUPS,
  memberId: string,
  rows: ReadonlyArray<{ day: string; key: string; plays: number; ms: number }>,
): Promise<void> {
  if (!rows.length) return;
  const { table, key } = DAILY_ROLLUPS[rollup];
  await db.query(
    `INSERT INTO ${table} (member_id, day, ${key}, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])
     ON CONFLICT (member_id, day, ${key}) DO UPDATE SET plays = ${table}.plays + EXCLUDED.plays, ms = ${table}.ms + EXCLUDED.ms`,
    [memberId, rows.map((r) => r.day), rows.map((r) => r.key), rows.map((r) => r.plays), rows.map((r) => r.ms)],
  );
}

/**
 * Inserts the plays that are new and adds exactly those to the member's rollups, inside the
 * caller's transaction: a play already stored (an overlapping poll, a retry, the other instance,
 * the same listen seen by another source) is neither inserted nor counted again. Catalogue
 * identities learned here ("this name: artist is that Spotify one") are merged first
 * (src/store/catalogue), so the plays land on the survivors.
 */
export async function storePlays(db: Queryable, memberId: string, plays: readonly PlayToStore[]): Promise<number> {
  let unique = [...new Map(plays.map((p) => [p.playedAt, p])).values()].sort((a, b) => a.playedAt - b.playedAt);
  if (!unique.length) return 0;
  // The matching queries below are index probes per play whose cost estimates pass the JIT
  // threshold: compiling them takes a second or two and saves nothing.
  await db.query(`SET LOCAL jit = off`);
  await lockMember(db, memberId);
  await upsertCatalogue(db, unique);
  const merged = await mergeLearned(db, {
    artistIds: [...new Set(unique.flatMap((p) => p.track.artists.map((a) => a.id)))],
    trackIds: [...new Set(unique.map((p) => p.track.id))],
  });
  unique = await creditedByCatalogue(db, unique, merged);
  const { rows: keyRows } = await db.query<{ id: string; match_key: string | null }>(
    `SELECT id, match_key FROM tracks WHERE id = ANY($1::text[])`,
    [[...new Set(unique.map((p) => p.track.id))]],
  );
  const matchKeys = new Map(keyRows.map((r) => [r.id, r.match_key]));
  // A source may report one listen twice (two scrobblers); Spotify's own plays differ by their end.
  unique = firstSightings(unique, (p) => {
    const key = matchKeys.get(p.track.id);
    return !fromListeningSource(p) ? [] : key ? [`t:${p.track.id}`, `m:${key}`] : [`t:${p.track.id}`];
  });
  const stored = await alreadyStored(db, memberId, unique);
  unique = unique.filter((_, i) => !stored.has(i));
  if (!unique.length) return 0;
  const inserted = await db.query<{ played_at: Date }>(
    `INSERT INTO plays (member_id, played_at, track_id, ms_played, ms_estimated, source, context_uri)
     SELECT $1, * FROM unnest($2::timestamptz[], $3::text[], $4::int[], $5::bool[], $6::text[], $7::text[])
     ON CONFLICT (member_id, played_at) DO NOTHING
     RETURNING played_at`,
    [
      memberId,
      unique.map((p) => iso(p.playedAt)),
      unique.map((p) => p.track.id),
      unique.map((p) => p.msPlayed),
      unique.map((p) => p.msEstimated),
      unique.map((p) => p.source),
      unique.map((p) => p.contextUri ?? null),
    ],
  );
  const fresh = new Set(inserted.rows.map((r) => r.played_at.getTime()));
  const delta = rollupDelta(
    unique
      .filter((p) => fresh.has(p.playedAt))
      .map((p) => ({
        playedAt: p.playedAt,
        ms: p.msPlayed ?? 0,
        artistIds: p.track.artists.map((a) => a.id),
        genre: p.genre,
      })),
  );
  if (delta.daily.length)
    await db.query(
      `INSERT INTO member_daily (member_id, day, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::int[], $4::bigint[])
       ON CONFLICT (member_id, day) DO UPDATE SET plays = member_daily.plays + EXCLUDED.plays, ms = member_daily.ms + EXCLUDED.ms`,
      [memberId, delta.daily.map((r) => r.day), delta.daily.map((r) => r.plays), delta.daily.map((r) => r.ms)],
    );
  await addToDailyRollup(
    db,
    'artists',
    memberId,
    delta.artists.map((r) => ({ ...r, key: r.artistId })),
  );
  await addToDailyRollup(
    db,
    'genres',
    memberId,
    delta.genres.map((r) => ({ ...r, key: r.genre })),
  );
  // The social totals count exactly the same fresh plays, in this transaction, under the same lock.
  await addToSocialTotals(
    db,
    memberId,
    unique.filter((p) => fresh.has(p.playedAt)),
    delta,
  );
  return fresh.size;
}
