import type pg from 'pg';
import type { ImportRepository, ImportSession } from '../../app/history/importHistory.js';
import type { ImportedPlay } from '../../core/history/exportRecords.js';
import { mergeImported } from '../catalogue/learn.js';
import { sqlNorm } from '../catalogue/norm.js';
import { rebuildSocialTotals } from '../social/socialTotalsWriter.js';
import { lockMember } from './memberLock.js';

/**
 * Imports in one transaction each, staged in temporary tables: the upload's plays are all
 * written to the stage first (`import_stage_plays` and the names they refer to,
 * `import_stage_names`, joined into `import_stage` at commit) and merged into the history only at
 * commit, so a file that turns out bad halfway leaves nothing behind (rollback drops the stage
 * with everything else). The rollups are counted set-based from what was inserted, in the same
 * transaction.
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
      /** Each distinct (track id, names) staged so far, and its key in import_stage_names. */
      const names = new Map<string, number>();
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
        // The plays are staged apart from their names: an export names the same few thousand tracks
        // hundreds of times each, so each distinct (track, names) is sent and parsed once.
        await db.query(`CREATE TEMP TABLE import_stage_names (
          key INTEGER NOT NULL, track_id TEXT NOT NULL, track_name TEXT NOT NULL, artist_name TEXT NOT NULL, album_name TEXT
        ) ON COMMIT DROP`);
        await db.query(`CREATE TEMP TABLE import_stage_plays (
          played_ms BIGINT NOT NULL, key INTEGER NOT NULL, ms INTEGER NOT NULL, fmt "char" NOT NULL
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
          const fresh: Array<[number, ImportedPlay]> = [];
          const keys = new Array<number>(plays.length);
          const ends = new Array<number>(plays.length);
          const durations = new Array<number>(plays.length);
          const formats = new Array<string>(plays.length);
          for (let i = 0; i < plays.length; i++) {
            const p = plays[i]!;
            // Names hold no control characters (cleanName): NUL cannot occur inside one.
            const name = `${p.trackId}\0${p.trackName}\0${p.artistName}\0${p.albumName === null ? '\u0001' : `\u0002${p.albumName}`}`;
            let key = names.get(name);
            if (key === undefined) {
              key = names.size;
              names.set(name, key);
              fresh.push([key, p]);
            }
            keys[i] = key;
            ends[i] = p.playedAt;
            durations[i] = p.msPlayed;
            formats[i] = p.format === 'extended' ? 'e' : 'a';
          }
          const sent = tail.then(() =>
            db.query(
              `WITH names AS (INSERT INTO import_stage_names
                 SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]))
               INSERT INTO import_stage_plays SELECT * FROM unnest($6::bigint[], $7::int[], $8::int[], $9::"char"[])`,
              [
                fresh.map(([key]) => key),
                fresh.map(([, p]) => p.trackId),
                fresh.map(([, p]) => p.trackName),
                fresh.map(([, p]) => p.artistName),
                fresh.map(([, p]) => p.albumName),
                // Numbers and one-letter formats need no quoting: the array literals are joined
                // here at once rather than element by element by the driver.
                `{${ends.join(',')}}`,
                `{${keys.join(',')}}`,
                `{${durations.join(',')}}`,
                `{${formats.join(',')}}`,
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
          await db.query(`CREATE TEMP TABLE import_stage ON COMMIT DROP AS
            SELECT to_timestamp(p.played_ms / 1000.0) AS played_at, n.track_id, n.track_name, n.artist_name, n.album_name,
              p.ms, p.fmt, NULL::text AS match_key
            FROM import_stage_plays p JOIN import_stage_names n ON n.key = p.key`);
          // A sample of 3,000 rows tells the planner enough about a stage of plays.
          await db.query(`SET LOCAL default_statistics_target = 10`);
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
            SELECT x.track_id, x.track_name, 'name:' || ${sqlNorm('x.artist_name')} AS artist_id, x.artist_name,
              CASE WHEN x.album_name IS NOT NULL THEN 'name:' || ${sqlNorm('x.artist_name')} || chr(31) || ${sqlNorm('x.album_name')} END AS album_id,
              x.album_name
            -- Each track's names as its latest play gives them (played_at is unique in import_new):
            -- found by hashing rather than by sorting every play.
            FROM import_new x JOIN (SELECT track_id, max(played_at) AS played_at FROM import_new GROUP BY track_id) latest
              ON latest.played_at = x.played_at AND latest.track_id = x.track_id
            WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = x.track_id)`);
          await db.query(`INSERT INTO artists (id, name) SELECT DISTINCT ON (artist_id) artist_id, artist_name FROM import_tracks
            ORDER BY artist_id ON CONFLICT (id) DO NOTHING`);
          await db.query(`INSERT INTO albums (id, name) SELECT DISTINCT ON (album_id) album_id, album_name FROM import_tracks
            WHERE album_id IS NOT NULL ORDER BY album_id ON CONFLICT (id) DO NOTHING`);
          // With its match key already (its credit's name is the artist id's): the credits' trigger
          // (0009) then finds nothing to update.
          await db.query(`INSERT INTO tracks (id, name, album_id, match_key)
            SELECT track_id, track_name, album_id, substr(artist_id, 6) || chr(31) || ${sqlNorm('track_name')} FROM import_tracks
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
          // Rollups of exactly the plays inserted, in key order (as the collector adds its deltas),
          // counted from the plays per day and track (fewer rows than plays, read three times).
          await db.query(
            `CREATE TEMP TABLE import_day_tracks ON COMMIT DROP AS
             SELECT (played_at AT TIME ZONE 'UTC')::date AS day, track_id, count(*)::int AS plays, sum(ms)::bigint AS ms
             FROM import_new GROUP BY 1, 2`,
          );
          await db.query(
            `INSERT INTO member_daily (member_id, day, plays, ms)
             SELECT $1, day, sum(plays), sum(ms) FROM import_day_tracks GROUP BY day ORDER BY day
             ON CONFLICT (member_id, day) DO UPDATE SET plays = member_daily.plays + EXCLUDED.plays, ms = member_daily.ms + EXCLUDED.ms`,
            [memberId],
          );
          // An artist credited twice on one track counts its plays once. The member's lock (taken
          // by every writer of their rows) keeps their artist-days still: the days they had are
          // added to, the others inserted without the per-row conflict check of an upsert.
          await db.query(
            `CREATE TEMP TABLE import_artist_days ON COMMIT DROP AS
             SELECT n.day, c.artist_id, sum(n.plays)::int AS plays, sum(n.ms)::bigint AS ms
             FROM import_day_tracks n JOIN (
               SELECT DISTINCT ta.track_id, ta.artist_id FROM track_artists ta
               WHERE ta.track_id IN (SELECT DISTINCT track_id FROM import_new)) c ON c.track_id = n.track_id
             GROUP BY n.day, c.artist_id`,
          );
          await db.query(
            `UPDATE member_daily_artists d SET plays = d.plays + a.plays, ms = d.ms + a.ms
             FROM import_artist_days a WHERE d.member_id = $1 AND d.day = a.day AND d.artist_id = a.artist_id`,
            [memberId],
          );
          await db.query(
            `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms)
             SELECT $1, a.day, a.artist_id, a.plays, a.ms FROM import_artist_days a
             WHERE NOT EXISTS (SELECT 1 FROM member_daily_artists d WHERE d.member_id = $1 AND d.day = a.day AND d.artist_id = a.artist_id)
             ORDER BY a.day, a.artist_id`,
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
             SELECT $1, n.day, coalesce(g.genre, 'unclassified') AS genre, sum(n.plays), sum(n.ms)
             FROM import_day_tracks n LEFT JOIN import_genres g ON g.track_id = n.track_id GROUP BY 2, 3 ORDER BY 2, 3
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
