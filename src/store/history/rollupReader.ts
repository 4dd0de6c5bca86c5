import type pg from 'pg';

/**
 * Whose rollups to sum: some members (the digest passes its opted-in members, /chart one member),
 * or every member visible in a server, read from the SQL visibility mirror (guild_visibility).
 */
export type Listeners = { memberIds: readonly string[] } | { guildId: string };

/** The SQL condition on `r.member_id` for `who`, bound as $1. */
function whose(who: Listeners): { where: string; param: string | string[] } {
  return 'guildId' in who
    ? {
        where: `r.member_id IN (SELECT v.member_id FROM guild_visibility v WHERE v.guild_id = $1)`,
        param: who.guildId,
      }
    : { where: `r.member_id = ANY($1::text[])`, param: [...who.memberIds] };
}

export interface RollupReader {
  /** Most played artists over UTC days [fromDay, toDay]: most plays first, then most ms, then artist id. */
  topArtists(
    who: Listeners,
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<Array<{ artistId: string; name: string; plays: number; ms: number }>>;
  /** Plays and ms per genre over the days: most plays first, then most ms, then genre. */
  topGenres(
    who: Listeners,
    fromDay: string,
    toDay: string,
    limit?: number,
  ): Promise<Array<{ genre: string; plays: number; ms: number }>>;
  /** Plays and ms of each member who played over the days: most plays first, then member id. */
  memberTotals(
    who: Listeners,
    fromDay: string,
    toDay: string,
  ): Promise<Array<{ memberId: string; plays: number; ms: number }>>;
}

/**
 * The one reader of the daily rollups (member_daily, member_daily_artists, member_daily_genres) for
 * /chart, the digest and the server charts: range scans of their (member_id, day, …) keys.
 * Sums come back as float8: exact for any count and ms a server can reach, and never an int overflow.
 */
export function createRollupReader(pool: pg.Pool): RollupReader {
  return {
    async topArtists(who, fromDay, toDay, limit) {
      const { where, param } = whose(who);
      const { rows } = await pool.query<{ artist_id: string; name: string; plays: number; ms: number }>(
        `WITH top AS (
           SELECT r.artist_id, sum(r.plays)::float8 AS plays, sum(r.ms)::float8 AS ms FROM member_daily_artists r
           WHERE ${where} AND r.day BETWEEN $2::date AND $3::date
           GROUP BY r.artist_id ORDER BY plays DESC, ms DESC, r.artist_id LIMIT $4)
         SELECT top.artist_id, a.name, top.plays, top.ms FROM top JOIN artists a ON a.id = top.artist_id
         ORDER BY top.plays DESC, top.ms DESC, top.artist_id`,
        [param, fromDay, toDay, limit],
      );
      return rows.map((r) => ({ artistId: r.artist_id, name: r.name, plays: r.plays, ms: r.ms }));
    },
    async topGenres(who, fromDay, toDay, limit) {
      const { where, param } = whose(who);
      const { rows } = await pool.query<{ genre: string; plays: number; ms: number }>(
        `SELECT r.genre, sum(r.plays)::float8 AS plays, sum(r.ms)::float8 AS ms FROM member_daily_genres r
         WHERE ${where} AND r.day BETWEEN $2::date AND $3::date
         GROUP BY r.genre ORDER BY plays DESC, ms DESC, r.genre LIMIT $4`,
        [param, fromDay, toDay, limit ?? null],
      );
      return rows;
    },
    async memberTotals(who, fromDay, toDay) {
      const { where, param } = whose(who);
      const { rows } = await pool.query<{ member_id: string; plays: number; ms: number }>(
        `SELECT r.member_id, sum(r.plays)::float8 AS plays, sum(r.ms)::float8 AS ms FROM member_daily r
         WHERE ${where} AND r.day BETWEEN $2::date AND $3::date
         GROUP BY r.member_id ORDER BY plays DESC, r.member_id`,
        [param, fromDay, toDay],
      );
      return rows.map((r) => ({ memberId: r.member_id, plays: r.plays, ms: r.ms }));
    },
  };
}
