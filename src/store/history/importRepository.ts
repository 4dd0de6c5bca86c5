import type pg from 'pg';
import type { ImportRepository, ImportSession } from '../../app/history/importHistory.js';
import type { ImportedPlay } from '../../core/history/exportRecords.js';
import { mergeImported } from '../catalogue/learn.js';
import { sqlNorm } from '../catalogue/norm.js';
import { rebuildSocialTotals } from '../social/socialTotalsWriter.js';
import { lockMember } from './memberLock.js';

/**
 * Imports in one transaction each, staged in a temporary table: the upload's plays are all
 * written to `import_stage` first and merged into the history only at commit, so a file that
 * turns out bad halfway leaves nothing behind (rollback drops the stage with everything else).
 *
 * The same-listen rule (an imported play and a stored one are the same listen, stored once):
 * - Extended streaming history (`ts`, second precision) against any stored play — collected
 *   (recently-played's `played_at`, milliseconds) or imported before: same member, same track,
 *   end times at most 10 s apart. Importing the same file twice therefore changes nothing.
 * - Account data (`endTime`, cut to the minute, so the listen ended within the following 60 s):
 *   same member and same track with an end time from 10 s before `endTime` to 70 s after, against
 *   stored plays and the Extended plays of the same upload. Its track is the known track whose
 *   main artist and title match (case- and space-insensitive): a track of the catalogue (collected
 *   or imported with a Spotify URI) or of this upload; otherwise it is kept by name (`name:` ids).
 * - Two plays cannot end at the same instant for one member (the plays key): the first stored wins.
 */
const SAME_LISTEN_S = 10;
const MINUTE_LATE_S = 70;
const secs = (n: number) => `make_interval(secs => ${n})`;

export function createImportRepository(pool: pg.Pool): ImportRepository {
  return {
    async begin(memberId, startedAt): Promise<ImportSession> {
      const db = await pool.connect();
      let open = true;
      let staged = 0;
      const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
        if (!open) return;
        open = false;
        try {
          await db.query(sql);
        } finally {
          db.release();
        }
      };
      try {
        await db.query('BEGIN');
        // One bulk transaction: sorts and hashes of a few hundred thousand rows stay in memory,
        // and JIT compilation would cost more than it saves.
        await db.query(`SET LOCAL work_mem = '128MB'`);
        await db.query(`SET LOCAL jit = off`);
        await db.query(`CREATE TEMP TABLE import_stage (
          played_at TIMESTAMPTZ NOT NULL, track_id TEXT NOT NULL, track_name TEXT NOT NULL, artist_name TEXT NOT NULL,
          album_name TEXT, ms INTEGER NOT NULL, fmt "char" NOT NULL, match_key TEXT
        ) ON COMMIT DROP`);
      } catch (error) {
        await end('ROLLBACK').catch(() => {});
        throw error;
      }
      // Batches go to Postgres one after the other while the next ones are parsed (a few queued at most).
      const inflight: Array<Promise<unknown>> = [];
      let tail: Promise<unknown> = Promise.resolve();
      return {
        async add(plays: readonly ImportedPlay[]) {
          if (!plays.length) return;
          staged += plays.length;
          const sent = tail.then(() =>
            db.query(
              `INSERT INTO import_stage (played_at, track_id, track_name, artist_name, album_name, ms, fmt)
             SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::"char"[])`,
              [
                plays.map((p) => new Date(p.playedAt).toISOString()),
                plays.map((p) => p.trackId),
                plays.map((p) => p.trackName),
                plays.map((p) => p.artistName),
                plays.map((p) => p.albumName),
                plays.map((p) => p.msPlayed),
                plays.map((p) => (p.format === 'extended' ? 'e' : 'a')),
              ],
            ),
          );
          tail = sent;
          sent.catch(() => {}); // reported by the await that reaches it (here, or in commit)
          inflight.push(sent);
          if (inflight.length >= 4) await inflight.shift();
        },
        async commit(summary, genreOf) {
          await Promise.all(inflight.splice(0));
          await db.query(`ANALYZE import_stage`);
          await lockMember(db, memberId);
          const { rows: hasAccount } = await db.query(`SELECT 1 FROM import_stage WHERE fmt = 'a' LIMIT 1`);
          if (hasAccount.length) {
            // Account data plays take the id of the known track with the same main artist and title.
            await db.query(
              `UPDATE import_stage SET match_key = ${sqlNorm('artist_name')} || chr(31) || ${sqlNorm('track_name')}`,
            );
            await db.query(`CREATE INDEX ON import_stage (match_key, played_at) WHERE fmt = 'e'`);
            await db.query(`CREATE TEMP TABLE import_known ON COMMIT DROP AS
              SELECT DISTINCT ON (match_key) match_key, track_id FROM (
                SELECT match_key, track_id, 0 AS rank FROM import_stage WHERE fmt = 'e' AND track_id NOT LIKE 'name:%'
                UNION ALL
                SELECT ${sqlNorm('a.name')} || chr(31) || ${sqlNorm('t.name')}, t.id, 1
                FROM tracks t JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
                JOIN artists a ON a.id = ta.artist_id WHERE t.id NOT LIKE 'name:%'
              ) k ORDER BY match_key, rank, track_id`);
            await db.query(
              `UPDATE import_stage s SET track_id = k.track_id FROM import_known k WHERE s.fmt = 'a' AND k.match_key = s.match_key`,
            );
          }
          await db.query(
            `CREATE TEMP TABLE import_new ON COMMIT DROP AS
            SELECT DISTINCT ON (s.played_at) s.* FROM import_stage s
            WHERE (s.fmt <> 'e' OR NOT EXISTS (
              SELECT 1 FROM plays p WHERE p.member_id = $1 AND p.track_id = s.track_id
                AND p.played_at BETWEEN s.played_at - ${secs(SAME_LISTEN_S)} AND s.played_at + ${secs(SAME_LISTEN_S)}))
            AND (s.fmt <> 'a' OR NOT EXISTS (
              SELECT 1 FROM plays p JOIN tracks t ON t.id = p.track_id
              JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 JOIN artists a ON a.id = ta.artist_id
              WHERE p.member_id = $1 AND p.played_at BETWEEN s.played_at - ${secs(SAME_LISTEN_S)} AND s.played_at + ${secs(MINUTE_LATE_S)}
                AND ${sqlNorm('a.name')} || chr(31) || ${sqlNorm('t.name')} = s.match_key))
            AND (s.fmt <> 'a' OR NOT EXISTS (
              SELECT 1 FROM import_stage e WHERE e.fmt = 'e' AND e.match_key = s.match_key
                AND e.played_at BETWEEN s.played_at - ${secs(SAME_LISTEN_S)} AND s.played_at + ${secs(MINUTE_LATE_S)}))
            -- Another track that ended at the very same instant keeps its place (the plays key).
            AND NOT EXISTS (SELECT 1 FROM plays p WHERE p.member_id = $1 AND p.played_at = s.played_at)
            ORDER BY s.played_at, s.fmt DESC, s.track_id`,
            [memberId],
          );
          await db.query(`ANALYZE import_new`);
          // Catalogue rows of the tracks not known yet, in key order (as the collector writes them).
          // Exports name the album artist only: it is the track's one credit, by name.
          await db.query(`CREATE TEMP TABLE import_tracks ON COMMIT DROP AS
            SELECT track_id, track_name, 'name:' || ${sqlNorm('artist_name')} AS artist_id, artist_name,
              CASE WHEN album_name IS NOT NULL THEN 'name:' || ${sqlNorm('artist_name')} || chr(31) || ${sqlNorm('album_name')} END AS album_id,
              album_name
            FROM (SELECT DISTINCT ON (track_id) * FROM import_new ORDER BY track_id, played_at DESC) x
            WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = x.track_id)`);
          await db.query(`INSERT INTO artists (id, name) SELECT DISTINCT ON (artist_id) artist_id, artist_name FROM import_tracks
            ORDER BY artist_id ON CONFLICT (id) DO NOTHING`);
          await db.query(`INSERT INTO albums (id, name) SELECT DISTINCT ON (album_id) album_id, album_name FROM import_tracks
            WHERE album_id IS NOT NULL ORDER BY album_id ON CONFLICT (id) DO NOTHING`);
          await db.query(`INSERT INTO tracks (id, name, album_id) SELECT track_id, track_name, album_id FROM import_tracks
            ORDER BY track_id ON CONFLICT (id) DO NOTHING`);
          await db.query(`INSERT INTO track_artists (track_id, position, artist_id) SELECT track_id, 0, artist_id FROM import_tracks
            ORDER BY track_id ON CONFLICT DO NOTHING`);
          // Every row of import_new is new for this member (checked above, under the member's lock,
          // which every writer of their plays takes), so the rollups count import_new itself.
          const inserted = await db.query(
            `INSERT INTO plays (member_id, played_at, track_id, ms_played, ms_estimated, source)
             SELECT $1, played_at, track_id, ms, FALSE, 'imported' FROM import_new ORDER BY played_at`,
            [memberId],
          );
          const n = inserted.rowCount ?? 0;
          // Rollups of exactly the plays inserted, in key order (as the collector adds its deltas).
          const day = `(played_at AT TIME ZONE 'UTC')::date`;
          await db.query(
            `INSERT INTO member_daily (member_id, day, plays, ms)
             SELECT $1, ${day} AS d, count(*), sum(ms) FROM import_new GROUP BY d ORDER BY d
             ON CONFLICT (member_id, day) DO UPDATE SET plays = member_daily.plays + EXCLUDED.plays, ms = member_daily.ms + EXCLUDED.ms`,
            [memberId],
          );
          await db.query(
            `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms)
             SELECT $1, d, artist_id, count(*), sum(ms) FROM (
               SELECT DISTINCT n.played_at, (n.played_at AT TIME ZONE 'UTC')::date AS d, ta.artist_id, n.ms
               FROM import_new n JOIN track_artists ta ON ta.track_id = n.track_id) x
             GROUP BY d, artist_id ORDER BY d, artist_id
             ON CONFLICT (member_id, day, artist_id) DO UPDATE SET plays = member_daily_artists.plays + EXCLUDED.plays, ms = member_daily_artists.ms + EXCLUDED.ms`,
            [memberId],
          );
          const { rows: credits } = await db.query<{ track_id: string; artists: string[] }>(
            `SELECT t.track_id, array_agg(ta.artist_id ORDER BY ta.position) AS artists
             FROM (SELECT DISTINCT track_id FROM import_new) t JOIN track_artists ta ON ta.track_id = t.track_id GROUP BY t.track_id`,
          );
          const genreOfTrack = await genreOf([...new Set(credits.flatMap((c) => c.artists))]);
          await db.query(
            `CREATE TEMP TABLE import_genres ON COMMIT DROP AS
            SELECT * FROM unnest($1::text[], $2::text[]) AS g (track_id, genre)`,
            [credits.map((c) => c.track_id), credits.map((c) => genreOfTrack(c.artists))],
          );
          await db.query(
            `INSERT INTO member_daily_genres (member_id, day, genre, plays, ms)
             SELECT $1, ${day} AS d, coalesce(g.genre, 'unclassified') AS genre, count(*), sum(ms)
             FROM import_new n LEFT JOIN import_genres g ON g.track_id = n.track_id GROUP BY 2, 3 ORDER BY 2, 3
             ON CONFLICT (member_id, day, genre) DO UPDATE SET plays = member_daily_genres.plays + EXCLUDED.plays, ms = member_daily_genres.ms + EXCLUDED.ms`,
            [memberId],
          );
          // The social totals (leaderboards, /whoknows) are recounted rather than added to: one
          // member, once per upload.
          await rebuildSocialTotals(db, memberId);
          // The artists and tracks it added that the catalogue knows by another id merge into it.
          await mergeImported(db);
          const { rows: range } = await db.query<{ first: Date | null; last: Date | null }>(
            `SELECT min(played_at) AS first, max(played_at) AS last FROM import_stage`,
          );
          const first = range[0]?.first ?? null;
          const last = range[0]?.last ?? null;
          await db.query(
            `INSERT INTO history_imports (member_id, started_at, finished_at, files, plays_read, plays_imported, podcasts, first_play, last_play)
             VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8)`,
            [memberId, new Date(startedAt).toISOString(), summary.files, staged, n, summary.podcasts, first, last],
          );
          await end('COMMIT');
          return {
            inserted: n,
            duplicates: staged - n,
            ...(first && last ? { from: first.getTime(), to: last.getTime() } : {}),
          };
        },
        async abort() {
          await Promise.allSettled(inflight.splice(0));
          await end('ROLLBACK').catch(() => {});
        },
      };
    },
    async deleteForUser(memberId) {
      const { rowCount } = await pool.query(`DELETE FROM history_imports WHERE member_id = $1`, [memberId]);
      return rowCount ?? 0;
    },
  };
}
