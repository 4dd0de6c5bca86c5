import type pg from 'pg';
import type { Day, LeaderboardMetric, RankedMember, SocialPeriod, SocialRepository } from '../../app/social/ports.js';
import { genreDiversity, periodStart, rankDescending, windowPieces } from '../../core/social/index.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The dawn of time for a rolling window: the running sums just before it are none. */
const BEFORE_ALL = '0001-01-01';

/**
 * Distinct artists per visible member over [from, today]. An artist played in a window that ends
 * today has its last play in it (plays are never dated after today): whole months inside the
 * window add monthly last-play counts, the days of its first and last month the daily ones.
 */
async function distinctArtists(db: Queryable, guildId: string, from: Day, today: Day) {
  const { days, months } = windowPieces(from, today);
  const [a, b] = days;
  return db.query<{ member_id: string; value: number }>(
    `WITH counted AS (
       SELECT d.member_id, d.lasts FROM member_artist_days d WHERE d.day BETWEEN $2::date AND $3::date
       UNION ALL
       SELECT d.member_id, d.lasts FROM member_artist_days d WHERE d.day BETWEEN $4::date AND $5::date
       UNION ALL
       SELECT m.member_id, m.lasts FROM member_artist_months m WHERE m.month BETWEEN $6::date AND $7::date)
     SELECT c.member_id, sum(c.lasts)::int AS value FROM counted c
     JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = c.member_id
     GROUP BY c.member_id`,
    [guildId, a![0], a![1], b?.[0] ?? null, b?.[1] ?? null, months?.[0] ?? null, months?.[1] ?? null],
  );
}

/** One value per visible member for a metric over [from, today] (from undefined: all time). */
async function metricValues(
  db: Queryable,
  guildId: string,
  metric: LeaderboardMetric,
  from: Day | undefined,
  today: Day,
): Promise<Array<{ memberId: string; value: number }>> {
  if (metric === 'artists') {
    const { rows } =
      from === undefined
        ? await db.query<{ member_id: string; value: number }>(
            `SELECT t.member_id, t.artists AS value FROM member_totals t
             JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id`,
            [guildId],
          )
        : await distinctArtists(db, guildId, from, today);
    return rows.map((r) => ({ memberId: r.member_id, value: r.value }));
  }
  // Everything else is a difference of running sums: the last row up to today minus the last row
  // before the window.
  const genres = metric === 'diversity';
  const { rows } = await db.query<{
    member_id: string;
    plays: string;
    ms: string;
    firsts: number;
    hi_genres: Record<string, number> | null;
    lo_genres: Record<string, number> | null;
  }>(
    `SELECT v.member_id, hi.plays - coalesce(lo.plays, 0) AS plays, hi.ms - coalesce(lo.ms, 0) AS ms,
       hi.firsts - coalesce(lo.firsts, 0) AS firsts
       ${genres ? ', hi.genre_ms AS hi_genres, lo.genre_ms AS lo_genres' : ''}
     FROM guild_visibility v
     CROSS JOIN LATERAL (
       SELECT c.plays, c.ms, c.firsts, c.genre_ms FROM member_cumulative c
       WHERE c.member_id = v.member_id AND c.day <= $3::date ORDER BY c.day DESC LIMIT 1) hi
     LEFT JOIN LATERAL (
       SELECT c.plays, c.ms, c.firsts, c.genre_ms FROM member_cumulative c
       WHERE c.member_id = v.member_id AND c.day < $2::date ORDER BY c.day DESC LIMIT 1) lo ON true
     WHERE v.guild_id = $1`,
    [guildId, from ?? BEFORE_ALL, today],
  );
  return rows.map((r) => {
    let value: number;
    if (metric === 'minutes') value = Number(r.ms);
    else if (metric === 'plays') value = Number(r.plays);
    else if (metric === 'discoveries') value = r.firsts;
    else {
      const lo = r.lo_genres ?? {};
      value = genreDiversity(Object.entries(r.hi_genres ?? {}).map(([genre, ms]) => [genre, ms - (lo[genre] ?? 0)]));
    }
    return { memberId: r.member_id, value };
  });
}

/** Leaderboards over the social totals (member_totals, member_artist_days/months, member_cumulative). */
export function createLeaderboards(pool: pg.Pool): Pick<SocialRepository, 'leaderboard'> {
  return {
    async leaderboard(guildId, metric, period: SocialPeriod, today): Promise<RankedMember[]> {
      const values = await metricValues(pool, guildId, metric, periodStart(period, today), today);
      return rankDescending(
        values.filter((v) => v.value > 0),
        (v) => v.value,
        (v) => v.memberId,
      ).map(({ memberId, value, rank }) => ({ memberId, value, rank }));
    },
  };
}
