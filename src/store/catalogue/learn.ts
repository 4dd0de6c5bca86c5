import type pg from 'pg';
import { finishMerges, moveArtists, moveTracks, type Merge } from './merge.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Where a `name:` artist lands when the catalogue knows better: its alias, else the Spotify artist
 * with its MBID, else the Spotify artist with its normalised name (unless both MBIDs are known and
 * differ: two bands can share a name). Several Spotify artists: the lowest id, so every writer
 * chooses alike. (Ordered by an expression, as resolve.ts orders, so that the planner probes the
 * MBID, ISRC and key indexes instead of walking the primary key in order.)
 */
const ARTIST_TARGET = `coalesce(
  (SELECT x.artist_id FROM artist_aliases x WHERE x.alias_id = c.id),
  (SELECT s.id FROM artists s WHERE c.mbid IS NOT NULL AND s.mbid = c.mbid AND s.mbid IS NOT NULL AND s.id NOT LIKE 'name:%' ORDER BY s.id LIKE 'name:%', s.id LIMIT 1),
  (SELECT s.id FROM artists s WHERE s.name_key = c.name_key AND s.id NOT LIKE 'name:%'
     AND (c.mbid IS NULL OR s.mbid IS NULL OR s.mbid = c.mbid) ORDER BY s.id LIKE 'name:%', s.id LIMIT 1))`;

/** The same for a `name:` track: alias, MBID, ISRC, then main artist and title (match_key). */
const TRACK_TARGET = `coalesce(
  (SELECT x.track_id FROM track_aliases x WHERE x.alias_id = c.id),
  (SELECT s.id FROM tracks s WHERE c.mbid IS NOT NULL AND s.mbid = c.mbid AND s.mbid IS NOT NULL AND s.id NOT LIKE 'name:%' ORDER BY s.id LIKE 'name:%', s.id LIMIT 1),
  (SELECT s.id FROM tracks s WHERE c.isrc IS NOT NULL AND s.isrc = c.isrc AND s.isrc IS NOT NULL AND s.id NOT LIKE 'name:%' ORDER BY s.id LIKE 'name:%', s.id LIMIT 1),
  (SELECT s.id FROM tracks s WHERE s.match_key = c.match_key AND s.id NOT LIKE 'name:%'
     AND (c.mbid IS NULL OR s.mbid IS NULL OR s.mbid = c.mbid) ORDER BY s.id LIKE 'name:%', s.id LIMIT 1))`;

const toMerges = (rows: Array<{ alias_id: string; target_id: string | null }>): Merge[] =>
  rows.flatMap((r) =>
    r.target_id && r.target_id !== r.alias_id ? [{ aliasId: r.alias_id, targetId: r.target_id }] : [],
  );

/**
 * `name:` artists to merge, among `ids` and the `name:` twins (same name key or MBID) of the
 * Spotify artists among `ids`.
 */
async function artistMerges(db: Queryable, ids: readonly string[]): Promise<Merge[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ alias_id: string; target_id: string | null }>(
    `WITH touched AS (SELECT DISTINCT unnest($1::text[]) AS id),
     spotify AS (SELECT a.* FROM touched t JOIN artists a ON a.id = t.id WHERE a.id NOT LIKE 'name:%'),
     c AS (
       SELECT a.id, a.name_key, a.mbid FROM touched t JOIN artists a ON a.id = t.id WHERE a.id LIKE 'name:%'
       UNION
       SELECT n.id, n.name_key, n.mbid FROM spotify s CROSS JOIN LATERAL (
         SELECT * FROM artists n WHERE n.name_key = s.name_key AND n.id LIKE 'name:%'
         UNION ALL
         SELECT * FROM artists n WHERE s.mbid IS NOT NULL AND n.mbid = s.mbid AND n.mbid IS NOT NULL AND n.id LIKE 'name:%') n)
     SELECT c.id AS alias_id, ${ARTIST_TARGET} AS target_id FROM c ORDER BY c.id`,
    [ids],
  );
  return toMerges(rows);
}

async function trackMerges(db: Queryable, ids: readonly string[]): Promise<Merge[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<{ alias_id: string; target_id: string | null }>(
    `WITH touched AS (SELECT DISTINCT unnest($1::text[]) AS id),
     spotify AS (SELECT t.* FROM touched x JOIN tracks t ON t.id = x.id WHERE t.id NOT LIKE 'name:%'),
     c AS (
       SELECT t.id, t.match_key, t.mbid, t.isrc FROM touched x JOIN tracks t ON t.id = x.id WHERE t.id LIKE 'name:%'
       UNION
       -- One index probe each per Spotify track (the MBID and ISRC indexes are partial: NOT NULL).
       SELECT n.id, n.match_key, n.mbid, n.isrc FROM spotify s CROSS JOIN LATERAL (
         SELECT * FROM tracks n WHERE n.match_key = s.match_key AND n.id LIKE 'name:%'
         UNION ALL
         SELECT * FROM tracks n WHERE s.mbid IS NOT NULL AND n.mbid = s.mbid AND n.mbid IS NOT NULL AND n.id LIKE 'name:%'
         UNION ALL
         SELECT * FROM tracks n WHERE s.isrc IS NOT NULL AND n.isrc = s.isrc AND n.isrc IS NOT NULL AND n.id LIKE 'name:%') n)
     SELECT c.id AS alias_id, ${TRACK_TARGET} AS target_id FROM c ORDER BY c.id`,
    [ids],
  );
  return toMerges(rows);
}

/** Which ids a merge replaced, and by what. */
export interface Merged {
  artists: Map<string, string>;
  tracks: Map<string, string>;
}

/**
 * "Learned later": merges every `name:` identity among or twinned with the artists and tracks just
 * written into the known (Spotify) identity it turns out to be, in the caller's transaction, with
 * every member's rollups and totals re-keyed (see merge.ts). Artists first: a track whose main
 * artist moved gets a new match key, which may make it a twin too. A merge whose locks are held
 * elsewhere is put off (merge.ts: tryLocks) and left out of the answer.
 */
export async function mergeLearned(
  db: Queryable,
  touched: { artistIds: readonly string[]; trackIds: readonly string[] },
): Promise<Merged> {
  const locked = new Set<string>();
  const found = await artistMerges(db, touched.artistIds);
  const moved = await moveArtists(db, found, locked);
  const artists = moved ? found : [];
  const candidates = await trackMerges(db, [...touched.trackIds, ...(moved ?? [])]);
  const tracks = (await moveTracks(db, candidates, locked)) ? candidates : [];
  if (artists.length || tracks.length) await finishMerges(db, artists, tracks, locked);
  return {
    artists: new Map(artists.map((m) => [m.aliasId, m.targetId])),
    tracks: new Map(tracks.map((m) => [m.aliasId, m.targetId])),
  };
}

/**
 * The end of an import's commit (src/store/history/importRepository.ts): the artists and tracks it
 * added (its `import_tracks` table) land on the identities the catalogue already knows, e.g. a
 * Spotify export's artists, known by name only, on the collector's Spotify artists.
 */
export async function mergeImported(db: Queryable): Promise<Merged> {
  const { rows } = await db.query<{ tracks: string[] | null; artists: string[] | null }>(
    `SELECT array_agg(DISTINCT track_id) AS tracks, array_agg(DISTINCT artist_id) AS artists FROM import_tracks`,
  );
  return mergeLearned(db, { artistIds: rows[0]?.artists ?? [], trackIds: rows[0]?.tracks ?? [] });
}
