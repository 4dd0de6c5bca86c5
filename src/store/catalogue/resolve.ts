import type pg from 'pg';
import { nameArtistId } from '../../core/history/exportRecords.js';
import type { MappedListen } from '../../core/sources/index.js';
import { sqlMatchKey, sqlNorm } from './norm.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export interface ResolvedArtist {
  id: string;
  name: string;
  mbid?: string;
}

/** A listen matched to the catalogue: the track it is, and what the catalogue already knows of it. */
export interface ResolvedListen {
  listen: MappedListen;
  trackId: string;
  /** The track's credits: the catalogue's when it knows the track, else the listen's, resolved. */
  credits: ResolvedArtist[];
  /** The catalogue's length of the track, when it knows one. */
  catalogueMs?: number;
  /** Whether the catalogue knows the track already (then its rows are left as they are). */
  known: boolean;
}

/**
 * Each artist's identity: its alias, else the artist with its MBID, else the artist with its
 * normalised name preferring a Spotify id (the lowest, so every writer chooses alike; not one whose
 * MBID differs from a known one), else its own `name:` id.
 */
async function resolveArtists(db: Queryable, artists: ReadonlyArray<{ nameId: string; name: string; mbid?: string }>) {
  const { rows } = await db.query<{ name_id: string; id: string | null }>(
    `SELECT i.name_id, coalesce(
       (SELECT x.artist_id FROM artist_aliases x WHERE x.alias_id = i.name_id),
       (SELECT a.id FROM artists a WHERE i.mbid IS NOT NULL AND a.mbid = i.mbid AND a.mbid IS NOT NULL ORDER BY a.id LIKE 'name:%', a.id LIMIT 1),
       (SELECT a.id FROM artists a WHERE a.name_key = ${sqlNorm('i.name')}
          AND (i.mbid IS NULL OR a.mbid IS NULL OR a.mbid = i.mbid) ORDER BY a.id LIKE 'name:%', a.id LIMIT 1)) AS id
     FROM unnest($1::text[], $2::text[], $3::text[]) AS i (name_id, name, mbid)`,
    [artists.map((a) => a.nameId), artists.map((a) => a.name), artists.map((a) => a.mbid ?? null)],
  );
  return new Map(rows.map((r) => [r.name_id, r.id ?? r.name_id]));
}

/**
 * Each listen's track: its `name:` id's alias, else the track with its MBID, else with its ISRC,
 * else the Spotify id the listen gives, else the track with the same main artist and title
 * (match_key), preferring Spotify ids; else its own `name:` id. A `name:` track found by MBID or
 * ISRC gives way to the listen's Spotify id: that one is the better identity, and the `name:` one
 * merges into it when the play is stored (storePlays).
 */
async function resolveTracks(db: Queryable, listens: readonly MappedListen[]) {
  const { rows } = await db.query<{ id: string | null }>(
    `SELECT coalesce(
       (SELECT x.track_id FROM track_aliases x WHERE x.alias_id = i.name_id),
       (SELECT t.id FROM tracks t WHERE i.mbid IS NOT NULL AND t.mbid = i.mbid AND t.mbid IS NOT NULL
          AND (i.spotify_id IS NULL OR t.id NOT LIKE 'name:%') ORDER BY t.id LIKE 'name:%', t.id LIMIT 1),
       (SELECT t.id FROM tracks t WHERE i.isrc IS NOT NULL AND t.isrc = i.isrc AND t.isrc IS NOT NULL
          AND (i.spotify_id IS NULL OR t.id NOT LIKE 'name:%') ORDER BY t.id LIKE 'name:%', t.id LIMIT 1),
       i.spotify_id,
       (SELECT t.id FROM tracks t WHERE t.match_key = ${sqlMatchKey('i.artist', 'i.title')}
          AND (i.mbid IS NULL OR t.mbid IS NULL OR t.mbid = i.mbid) ORDER BY t.id LIKE 'name:%', t.id LIMIT 1)) AS id
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
       AS i (name_id, mbid, isrc, spotify_id, artist, title, ord)
     ORDER BY i.ord`,
    [
      listens.map((l) => l.track.nameId),
      listens.map((l) => l.track.mbid ?? null),
      listens.map((l) => l.track.isrc ?? null),
      listens.map((l) => l.track.spotifyId ?? null),
      listens.map((l) => l.artists[0]!.name),
      listens.map((l) => l.track.name),
    ],
  );
  return listens.map((l, i) => rows[i]?.id ?? l.track.nameId);
}

/** Matches source listens to the catalogue (read only: storePlays writes what is new). */
export async function resolveListens(db: Queryable, listens: readonly MappedListen[]): Promise<ResolvedListen[]> {
  if (!listens.length) return [];
  const artists = await resolveArtists(db, [
    ...new Map(listens.flatMap((l) => l.artists.map((a) => [a.nameId, a] as const))).values(),
  ]);
  const trackIds = await resolveTracks(db, listens);
  const { rows } = await db.query<{ id: string; duration_ms: number | null; ids: string[]; names: string[] }>(
    `SELECT t.id, t.duration_ms, array_agg(a.id ORDER BY ta.position) AS ids, array_agg(a.name ORDER BY ta.position) AS names
     FROM tracks t JOIN track_artists ta ON ta.track_id = t.id JOIN artists a ON a.id = ta.artist_id
     WHERE t.id = ANY($1::text[]) GROUP BY t.id, t.duration_ms`,
    [[...new Set(trackIds)]],
  );
  const known = new Map(rows.map((r) => [r.id, r]));
  return listens.map((listen, i) => {
    const trackId = trackIds[i]!;
    const row = known.get(trackId);
    // The MBIDs the listen gives its artists, by the identity each resolved to and by name: a
    // known credit without one learns it (storePlays fills it, and merges what it then matches).
    const mbids = new Map(
      listen.artists.flatMap((a) =>
        a.mbid
          ? [
              [artists.get(a.nameId) ?? a.nameId, a.mbid],
              [a.nameId, a.mbid],
            ]
          : [],
      ),
    );
    if (row)
      return {
        listen,
        trackId,
        credits: row.ids.map((id, k) => {
          const name = row.names[k]!;
          const mbid = mbids.get(id) ?? mbids.get(nameArtistId(name));
          return { id, name, ...(mbid ? { mbid } : {}) };
        }),
        ...(row.duration_ms ? { catalogueMs: row.duration_ms } : {}),
        known: true,
      };
    const credits = [
      ...new Map(
        listen.artists.map((a) => {
          const id = artists.get(a.nameId) ?? a.nameId;
          return [id, { id, name: a.name, ...(a.mbid ? { mbid: a.mbid } : {}) }] as const;
        }),
      ).values(),
    ];
    return { listen, trackId, credits, known: false };
  });
}
