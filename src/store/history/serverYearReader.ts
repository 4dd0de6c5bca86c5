import type pg from 'pg';
import type { ServerYearReader } from '../../app/serverYear/ports.js';

/**
 * The server year's reads, always for the opted-in members the caller passes (never anyone else,
 * not even in a total). Each member's year comes from their running sums (member_cumulative: two
 * index probes per member), the months from member_daily; the artists take one pass over the
 * year's artist rollups and the tracks and local hours one pass over its plays.
 */
export function createServerYearReader(pool: pg.Pool): ServerYearReader {
  // Members are joined as a set (unnest): `member_id = ANY($1)` compares every row with each of
  // 500 ids, ten times slower over a year's millions of rows.
  const ids = (memberIds: readonly string[]) => [...memberIds];
  /**
   * A year's (member, artist) groups are about a million at 500 members: with the default 4 MB of
   * work_mem that aggregate spills to disk. Raised for this one query; its sort is in byte order
   * (COLLATE "C"): a locale-aware sort of a million text keys takes ten times as long.
   */
  const roomy = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL work_mem = '256MB'`);
      const result = await client.query<R>(sql, params);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    async memberYears(memberIds, fromDay, toDay) {
      const { rows } = await pool.query<{
        member_id: string;
        plays: string;
        ms: string;
        firsts: number;
        hi_genres: Record<string, number>;
        lo_genres: Record<string, number> | null;
      }>(
        `SELECT m.member_id, (hi.plays - coalesce(lo.plays, 0))::text AS plays, (hi.ms - coalesce(lo.ms, 0))::text AS ms,
                hi.firsts - coalesce(lo.firsts, 0) AS firsts, hi.genre_ms AS hi_genres, lo.genre_ms AS lo_genres
         FROM unnest($1::text[]) AS m(member_id)
         CROSS JOIN LATERAL (
           SELECT c.plays, c.ms, c.firsts, c.genre_ms FROM member_cumulative c
           WHERE c.member_id = m.member_id AND c.day <= $3::date ORDER BY c.day DESC LIMIT 1) hi
         LEFT JOIN LATERAL (
           SELECT c.plays, c.ms, c.firsts, c.genre_ms FROM member_cumulative c
           WHERE c.member_id = m.member_id AND c.day < $2::date ORDER BY c.day DESC LIMIT 1) lo ON true`,
        [ids(memberIds), fromDay, toDay],
      );
      return rows
        .filter((r) => Number(r.plays) > 0)
        .map((r) => ({
          memberId: r.member_id,
          plays: Number(r.plays),
          ms: Number(r.ms),
          newArtists: r.firsts,
          genres: Object.entries(r.hi_genres ?? {})
            .map(([genre, ms]) => ({ genre, ms: ms - (r.lo_genres?.[genre] ?? 0) }))
            .filter((g) => g.ms > 0),
        }));
    },
    async months(memberIds, fromDay, toDay) {
      const { rows } = await pool.query<{ month: string; ms: number }>(
        `SELECT to_char(date_trunc('month', r.day), 'YYYY-MM') AS month, sum(r.ms)::float8 AS ms FROM member_daily r
         JOIN unnest($1::text[]) AS m(member_id) ON m.member_id = r.member_id
         WHERE r.day BETWEEN $2::date AND $3::date GROUP BY 1 ORDER BY 1`,
        [ids(memberIds), fromDay, toDay],
      );
      return rows;
    },
    async artists(memberIds, fromDay, toDay, limit) {
      const { rows } = await roomy<{
        kind: 'top' | 'fav';
        member_id: string | null;
        artist_id: string;
        name: string;
        plays: number;
        ms: number;
      }>(
        `WITH ma AS MATERIALIZED (
           SELECT r.member_id, r.artist_id, sum(r.plays)::float8 AS plays, sum(r.ms)::float8 AS ms
           FROM member_daily_artists r JOIN unnest($1::text[]) AS m(member_id) ON m.member_id = r.member_id
           WHERE r.day BETWEEN $2::date AND $3::date GROUP BY 1, 2),
         top AS (
           SELECT artist_id, sum(plays) AS plays, sum(ms) AS ms FROM ma GROUP BY artist_id
           ORDER BY plays DESC, ms DESC, artist_id LIMIT $4),
         fav AS (
           SELECT DISTINCT ON (member_id COLLATE "C") member_id, artist_id, plays, ms FROM ma
           ORDER BY member_id COLLATE "C", plays DESC, artist_id COLLATE "C")
         SELECT 'top' AS kind, NULL AS member_id, t.artist_id, a.name, t.plays, t.ms FROM top t JOIN artists a ON a.id = t.artist_id
         UNION ALL
         SELECT 'fav', f.member_id, f.artist_id, a.name, f.plays, f.ms FROM fav f JOIN artists a ON a.id = f.artist_id`,
        [ids(memberIds), fromDay, toDay, limit],
      );
      return {
        top: rows
          .filter((r) => r.kind === 'top')
          .sort((a, b) => b.plays - a.plays || b.ms - a.ms || (a.artist_id < b.artist_id ? -1 : 1))
          .map((r) => ({ artistId: r.artist_id, name: r.name, plays: r.plays, ms: r.ms })),
        favourites: rows
          .filter((r) => r.kind === 'fav')
          .map((r) => ({ memberId: r.member_id!, name: r.name, plays: r.plays })),
      };
    },
    async plays(memberIds, from, to, fallbackZone, limit) {
      const range = [ids(memberIds), new Date(from).toISOString(), new Date(to).toISOString()];
      // Two small aggregates (by track, by member), each one scan, side by side on two connections.
      const [tracks, hours] = await Promise.all([
        pool.query<{ track_id: string; name: string; plays: number; artists: string[] | null }>(
          `WITH top AS (
             SELECT p.track_id, count(*)::int AS plays FROM plays p
             JOIN unnest($1::text[]) AS m(member_id) ON m.member_id = p.member_id
             WHERE p.played_at >= $2 AND p.played_at < $3
             GROUP BY p.track_id ORDER BY count(*) DESC, p.track_id LIMIT $4)
           SELECT top.track_id, t.name, top.plays,
             (SELECT array_agg(a.name ORDER BY ta.position) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
              WHERE ta.track_id = top.track_id) AS artists
           FROM top JOIN tracks t ON t.id = top.track_id ORDER BY top.plays DESC, top.track_id`,
          [...range, limit],
        ),
        // A play counts at its middle, in the member's own zone (/settings), else the server's.
        pool.query<{ member_id: string; night_ms: number; early_ms: number }>(
          `WITH local AS (
             SELECT p.member_id, coalesce(p.ms_played, 0) AS ms,
                    extract(hour FROM (p.played_at - make_interval(secs => coalesce(p.ms_played, 0) / 2000.0))
                                      AT TIME ZONE coalesce(s.timezone, $4))::int AS h
             FROM plays p JOIN unnest($1::text[]) AS m(member_id) ON m.member_id = p.member_id
             LEFT JOIN member_settings s ON s.member_id = p.member_id
             WHERE p.played_at >= $2 AND p.played_at < $3)
           SELECT member_id, coalesce(sum(ms) FILTER (WHERE h < 5), 0)::float8 AS night_ms,
                  coalesce(sum(ms) FILTER (WHERE h >= 5 AND h < 9), 0)::float8 AS early_ms
           FROM local GROUP BY member_id`,
          [...range, fallbackZone],
        ),
      ]);
      return {
        topTracks: tracks.rows.map((r) => ({ name: r.name, plays: r.plays, artists: r.artists ?? [] })),
        hours: hours.rows.map((r) => ({ memberId: r.member_id, nightMs: r.night_ms, earlyMs: r.early_ms })),
      };
    },
    async firstPlays(memberIds, artistIds, to) {
      if (artistIds.length === 0) return [];
      // Through the artists' tracks (track_artists_artist, plays_track): the earliest play ever of
      // each top artist by each member, up to the year's end.
      const { rows } = await pool.query<{ artist_id: string; name: string; member_id: string; first_at: Date }>(
        `SELECT ta.artist_id, a.name, p.member_id, min(p.played_at) AS first_at
         FROM track_artists ta JOIN plays p ON p.track_id = ta.track_id JOIN artists a ON a.id = ta.artist_id
         WHERE ta.artist_id = ANY($2::text[]) AND p.member_id = ANY($1::text[]) AND p.played_at < $3
         GROUP BY 1, 2, 3`,
        [ids(memberIds), [...artistIds], new Date(to).toISOString()],
      );
      return rows.map((r) => ({
        artistId: r.artist_id,
        artist: r.name,
        memberId: r.member_id,
        firstAt: r.first_at.getTime(),
      }));
    },
  };
}
