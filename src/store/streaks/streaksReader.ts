import type pg from 'pg';
import type { Played, StreaksReader } from '../../app/streaks/ports.js';

/** Autocomplete values are cut at 100 characters: a value that long may be the start of an id. */
const ID_MATCH = (column: string) => `(${column} = $2 OR (length($2) >= 100 AND starts_with(${column}, $2)))`;

/** A LIKE pattern matching `typed` anywhere, its wildcards taken literally. */
const containing = (typed: string) => `%${typed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Streaks and milestones from the rollups (member_daily, member_daily_artists, member_daily_genres)
 * and the social totals (member_artist_totals, member_track_totals, member_genre_totals): range scans
 * of one member's keys. Two reads touch `plays`, always through an index and bounded: the first and
 * last play of each UTC day (two probes of the (member_id, played_at) key per day, for local days),
 * and one track's plays of one member (plays_track), for the few tracks whose streaks are shown.
 */
export function createStreaksReader(pool: pg.Pool): StreaksReader {
  return {
    async dayBounds(memberId) {
      const { rows } = await pool.query<{ day: string; first: Date; last: Date }>(
        `SELECT d.day::text AS day, f.played_at AS first, l.played_at AS last
         FROM member_daily d
         CROSS JOIN LATERAL (
           SELECT p.played_at FROM plays p
           WHERE p.member_id = d.member_id AND p.played_at >= d.day::timestamp AT TIME ZONE 'UTC'
             AND p.played_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
           ORDER BY p.played_at LIMIT 1) f
         CROSS JOIN LATERAL (
           SELECT p.played_at FROM plays p
           WHERE p.member_id = d.member_id AND p.played_at >= d.day::timestamp AT TIME ZONE 'UTC'
             AND p.played_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
           ORDER BY p.played_at DESC LIMIT 1) l
         WHERE d.member_id = $1 AND d.plays > 0
         ORDER BY d.day`,
        [memberId],
      );
      return rows.map((r) => ({ day: r.day, first: r.first.getTime(), last: r.last.getTime() }));
    },

    async artistDays(memberId, pick) {
      const picked =
        'ids' in pick
          ? { sql: `SELECT unnest($2::text[]) AS artist_id`, params: [[...pick.ids]] }
          : {
              // The member_artist_totals_member index serves both: most played first.
              sql: `(SELECT artist_id FROM member_artist_totals WHERE member_id = $1 ORDER BY plays DESC, artist_id LIMIT $2)
                    UNION
                    (SELECT artist_id FROM member_artist_totals WHERE member_id = $1 AND last_day >= $3::date
                     ORDER BY plays DESC, artist_id LIMIT $2)`,
              params: [pick.top, pick.since],
            };
      const { rows } = await pool.query<{ id: string; name: string; days: string[] }>(
        `WITH picked AS (${picked.sql})
         SELECT r.artist_id AS id, a.name, array_agg(r.day::text ORDER BY r.day) AS days
         FROM member_daily_artists r JOIN picked USING (artist_id) JOIN artists a ON a.id = r.artist_id
         WHERE r.member_id = $1 AND r.plays > 0
         GROUP BY r.artist_id, a.name`,
        [memberId, ...picked.params],
      );
      return rows;
    },

    async genreDays(memberId, genre) {
      const { rows } = await pool.query<{ id: string; days: string[] }>(
        `SELECT genre AS id, array_agg(day::text ORDER BY day) AS days FROM member_daily_genres
         WHERE member_id = $1 AND plays > 0 AND genre <> 'unclassified' AND ($2::text IS NULL OR genre = $2)
         GROUP BY genre`,
        [memberId, genre ?? null],
      );
      return rows.map((r) => ({ id: r.id, name: r.id, days: r.days }));
    },

    async topTracks(memberId, limit) {
      return tracksWithArtists(
        pool,
        `SELECT track_id, plays FROM member_track_totals WHERE member_id = $1 ORDER BY plays DESC, track_id LIMIT $2`,
        [memberId, limit],
      );
    },

    async trackPlays(memberId, trackId) {
      const { rows } = await pool.query<{ at: Date }>(
        `SELECT played_at AS at FROM plays WHERE track_id = $2 AND member_id = $1 ORDER BY played_at`,
        [memberId, trackId],
      );
      return rows.map((r) => r.at.getTime());
    },

    async search(memberId, kind, typed, limit) {
      const like = containing(typed);
      if (kind === 'artist') {
        const { rows } = await pool.query<Played>(
          `SELECT a.id, a.name FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
           WHERE t.member_id = $1 AND (${ID_MATCH('a.id')} OR a.name ILIKE $3)
           ORDER BY (${ID_MATCH('a.id')} OR lower(a.name) = lower($2)) DESC, t.plays DESC, a.id LIMIT $4`,
          [memberId, typed, like, limit],
        );
        return rows;
      }
      if (kind === 'genre') {
        const { rows } = await pool.query<{ genre: string }>(
          `SELECT genre FROM member_genre_totals
           WHERE member_id = $1 AND genre <> 'unclassified' AND genre ILIKE $3
           ORDER BY (lower(genre) = lower($2)) DESC, plays DESC, genre LIMIT $4`,
          [memberId, typed, like, limit],
        );
        return rows.map((r) => ({ id: r.genre, name: r.genre }));
      }
      return tracksWithArtists(
        pool,
        `SELECT t.track_id, t.plays FROM member_track_totals t JOIN tracks k ON k.id = t.track_id
         WHERE t.member_id = $1 AND (${ID_MATCH('k.id')} OR k.name ILIKE $3)
         ORDER BY (${ID_MATCH('k.id')} OR lower(k.name) = lower($2)) DESC, t.plays DESC, t.track_id LIMIT $4`,
        [memberId, typed, like, limit],
      );
    },

    async artistPlaysAround(memberId, fromDay, toDay) {
      // All-time totals minus what came on and after the week's first day: no scan of older days.
      const { rows } = await pool.query<{ name: string; before: number; after: number }>(
        `WITH recent AS (
           SELECT artist_id, sum(plays) FILTER (WHERE day <= $3::date)::float8 AS week,
             sum(plays)::float8 AS since
           FROM member_daily_artists WHERE member_id = $1 AND day >= $2::date GROUP BY artist_id)
         SELECT a.name, t.plays - r.since AS before, t.plays - r.since + r.week AS after
         FROM recent r JOIN member_artist_totals t ON t.member_id = $1 AND t.artist_id = r.artist_id
         JOIN artists a ON a.id = r.artist_id
         WHERE r.week > 0`,
        [memberId, fromDay, toDay],
      );
      return rows;
    },

    async yearMsAround(memberId, fromDay, toDay) {
      const { rows } = await pool.query<{ before: number | null; after: number | null }>(
        `SELECT sum(ms) FILTER (WHERE day < $2::date)::float8 AS before, sum(ms)::float8 AS after
         FROM member_daily WHERE member_id = $1 AND day >= date_trunc('year', $3::date)::date AND day <= $3::date`,
        [memberId, fromDay, toDay],
      );
      return { before: rows[0]?.before ?? 0, after: rows[0]?.after ?? 0 };
    },
  };
}

/** Tracks chosen by `sql` (track_id, plays; most played first) with their names and credited artists. */
async function tracksWithArtists(pool: pg.Pool, sql: string, params: unknown[]): Promise<Played[]> {
  const { rows } = await pool.query<{ id: string; name: string; artists: string[] }>(
    `WITH chosen AS (${sql})
     SELECT k.id, k.name,
       coalesce((SELECT array_agg(a.name ORDER BY ta.position) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                 WHERE ta.track_id = k.id), '{}') AS artists
     FROM chosen c JOIN tracks k ON k.id = c.track_id
     ORDER BY c.plays DESC, k.id`,
    params,
  );
  return rows;
}
