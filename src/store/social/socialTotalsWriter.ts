import type pg from 'pg';
import type { NewPlay } from '../../app/history/ports.js';
import type { RollupDelta } from '../../core/history/index.js';
import { artistSpans, discoveryMarks, runningSums, totalsByKey } from '../../core/social/index.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** The member's social totals (0004_social.sql), erased with their history. */
export const SOCIAL_TOTALS = [
  'member_totals',
  'member_artist_totals',
  'member_artist_days',
  'member_artist_months',
  'member_track_totals',
  'member_genre_totals',
  'member_cumulative',
] as const;

/**
 * What fresh plays add to the member's all-time totals (src/store/migrations/0004_social.sql).
 * storePlays calls it in its transaction and under the member's lock (src/store/history), so the
 * totals always equal a recount of the plays. `delta` is the rollup delta of exactly `fresh`.
 */
export async function addToSocialTotals(
  db: Queryable,
  memberId: string,
  fresh: readonly NewPlay[],
  delta: RollupDelta,
): Promise<void> {
  if (!fresh.length) return;
  const tracks = totalsByKey(
    fresh,
    (p) => p.track.id,
    () => 1,
    (p) => p.msPlayed ?? 0,
  );
  await db.query(
    `INSERT INTO member_track_totals (member_id, track_id, plays, ms) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (member_id, track_id) DO UPDATE SET plays = member_track_totals.plays + EXCLUDED.plays, ms = member_track_totals.ms + EXCLUDED.ms`,
    [memberId, tracks.map((t) => t.key), tracks.map((t) => t.plays), tracks.map((t) => t.ms)],
  );

  const artists = artistSpans(delta.artists);
  const before = new Map(
    artists.length
      ? (
          await db.query<{ artist_id: string; first: string; last: string }>(
            `SELECT artist_id, to_char(first_day, 'YYYY-MM-DD') AS first, to_char(last_day, 'YYYY-MM-DD') AS last
             FROM member_artist_totals WHERE member_id = $1 AND artist_id = ANY($2::text[])`,
            [memberId, artists.map((a) => a.id)],
          )
        ).rows.map((r) => [r.artist_id, r])
      : [],
  );
  const marks = discoveryMarks(artists, before);
  if (artists.length)
    await db.query(
      `INSERT INTO member_artist_totals (member_id, artist_id, plays, ms, first_day, last_day)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::date[], $6::date[])
       ON CONFLICT (member_id, artist_id) DO UPDATE SET plays = member_artist_totals.plays + EXCLUDED.plays,
         ms = member_artist_totals.ms + EXCLUDED.ms,
         first_day = least(member_artist_totals.first_day, EXCLUDED.first_day),
         last_day = greatest(member_artist_totals.last_day, EXCLUDED.last_day)`,
      [
        memberId,
        artists.map((a) => a.id),
        artists.map((a) => a.plays),
        artists.map((a) => a.ms),
        artists.map((a) => a.first),
        artists.map((a) => a.last),
      ],
    );
  if (marks.months.length) {
    await db.query(
      `INSERT INTO member_artist_months (member_id, month, lasts) SELECT $1, * FROM unnest($2::date[], $3::int[])
       ON CONFLICT (member_id, month) DO UPDATE SET lasts = member_artist_months.lasts + EXCLUDED.lasts`,
      [memberId, marks.months.map((m) => m.month), marks.months.map((m) => m.lasts)],
    );
    await db.query(`DELETE FROM member_artist_months WHERE member_id = $1 AND month = ANY($2::date[]) AND lasts = 0`, [
      memberId,
      marks.months.map((m) => m.month),
    ]);
  }
  if (marks.days.length) {
    await db.query(
      `INSERT INTO member_artist_days (member_id, day, firsts, lasts) SELECT $1, * FROM unnest($2::date[], $3::int[], $4::int[])
       ON CONFLICT (member_id, day) DO UPDATE SET firsts = member_artist_days.firsts + EXCLUDED.firsts, lasts = member_artist_days.lasts + EXCLUDED.lasts`,
      [memberId, marks.days.map((m) => m.day), marks.days.map((m) => m.firsts), marks.days.map((m) => m.lasts)],
    );
    await db.query(
      `DELETE FROM member_artist_days WHERE member_id = $1 AND day = ANY($2::date[]) AND firsts = 0 AND lasts = 0`,
      [memberId, marks.days.map((m) => m.day)],
    );
  }
  await db.query(
    `INSERT INTO member_totals (member_id, plays, ms, artists) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id) DO UPDATE SET plays = member_totals.plays + EXCLUDED.plays, ms = member_totals.ms + EXCLUDED.ms,
       artists = member_totals.artists + EXCLUDED.artists`,
    [memberId, fresh.length, fresh.reduce((sum, p) => sum + (p.msPlayed ?? 0), 0), marks.newArtists],
  );

  const genres = totalsByKey(
    delta.genres,
    (r) => r.genre,
    (r) => r.plays,
    (r) => r.ms,
  );
  await db.query(
    `INSERT INTO member_genre_totals (member_id, genre, plays, ms) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (member_id, genre) DO UPDATE SET plays = member_genre_totals.plays + EXCLUDED.plays, ms = member_genre_totals.ms + EXCLUDED.ms`,
    [memberId, genres.map((g) => g.key), genres.map((g) => g.plays), genres.map((g) => g.ms)],
  );
  // Rollup days come sorted: the first is the earliest a running sum changed from (a discovery
  // moved by an import moves to a day with a fresh play).
  await refreshCumulative(db, memberId, delta.daily[0]!.day);
}

/**
 * Rewrites the member's running sums (member_cumulative) from `fromDay` on: the last row before
 * it, plus each later day's rollups. A poll touches today's row (or yesterday's); an import, the
 * days after its oldest play; a genre rebuild, every day.
 */
async function refreshCumulative(db: Queryable, memberId: string, fromDay = '0001-01-01'): Promise<void> {
  const base = (
    await db.query<{ plays: string; ms: string; firsts: number; genre_ms: Record<string, number> }>(
      `SELECT plays, ms, firsts, genre_ms FROM member_cumulative WHERE member_id = $1 AND day < $2::date ORDER BY day DESC LIMIT 1`,
      [memberId, fromDay],
    )
  ).rows[0];
  const { rows: days } = await db.query<{
    day: string;
    plays: number;
    ms: string;
    firsts: number;
    genres: Record<string, number> | null;
  }>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.plays, d.ms, coalesce(a.firsts, 0) AS firsts,
       (SELECT jsonb_object_agg(g.genre, g.ms) FROM member_daily_genres g WHERE g.member_id = d.member_id AND g.day = d.day) AS genres
     FROM member_daily d LEFT JOIN member_artist_days a ON a.member_id = d.member_id AND a.day = d.day
     WHERE d.member_id = $1 AND d.day >= $2::date ORDER BY d.day`,
    [memberId, fromDay],
  );
  if (!days.length) return;
  const rows = runningSums(
    base && { plays: Number(base.plays), ms: Number(base.ms), firsts: base.firsts, genreMs: base.genre_ms },
    days.map((d) => ({ day: d.day, plays: d.plays, ms: Number(d.ms), firsts: d.firsts, genreMs: d.genres })),
  );
  await db.query(
    `INSERT INTO member_cumulative (member_id, day, plays, ms, firsts, genre_ms)
     SELECT $1, d, p, m, f, g::jsonb FROM unnest($2::date[], $3::bigint[], $4::bigint[], $5::int[], $6::text[]) AS r (d, p, m, f, g)
     ON CONFLICT (member_id, day) DO UPDATE SET plays = EXCLUDED.plays, ms = EXCLUDED.ms, firsts = EXCLUDED.firsts, genre_ms = EXCLUDED.genre_ms`,
    [
      memberId,
      rows.map((r) => r.day),
      rows.map((r) => r.plays),
      rows.map((r) => r.ms),
      rows.map((r) => r.firsts),
      rows.map((r) => JSON.stringify(r.genreMs)),
    ],
  );
}

/** After a genre rebuild every genre's totals may have moved: recount them from the rollups. */
export async function rebuildGenreTotals(db: Queryable, memberId: string): Promise<void> {
  await db.query(`DELETE FROM member_genre_totals WHERE member_id = $1`, [memberId]);
  await db.query(
    `INSERT INTO member_genre_totals (member_id, genre, plays, ms)
     SELECT member_id, genre, sum(plays), sum(ms) FROM member_daily_genres WHERE member_id = $1 GROUP BY member_id, genre`,
    [memberId],
  );
  await db.query(`DELETE FROM member_cumulative WHERE member_id = $1`, [memberId]);
  await refreshCumulative(db, memberId);
}

/**
 * Recounts all of the member's social totals from their rollups and plays: for writers that add
 * plays set-based (an import) rather than through storePlays. Same sums as the migration's backfill.
 */
export async function rebuildSocialTotals(db: Queryable, memberId: string): Promise<void> {
  await deleteSocialTotals(db, memberId);
  await db.query(
    `INSERT INTO member_artist_totals (member_id, artist_id, plays, ms, first_day, last_day)
     SELECT member_id, artist_id, sum(plays), sum(ms), min(day), max(day)
     FROM member_daily_artists WHERE member_id = $1 GROUP BY member_id, artist_id ORDER BY artist_id`,
    [memberId],
  );
  await db.query(
    `INSERT INTO member_totals (member_id, plays, ms, artists)
     SELECT $1, sum(plays), sum(ms), (SELECT count(*) FROM member_artist_totals WHERE member_id = $1)
     FROM member_daily WHERE member_id = $1 HAVING count(*) > 0`,
    [memberId],
  );
  await db.query(
    `INSERT INTO member_artist_days (member_id, day, firsts, lasts)
     SELECT $1, day, sum(firsts), sum(lasts) FROM (
       SELECT first_day AS day, 1 AS firsts, 0 AS lasts FROM member_artist_totals WHERE member_id = $1
       UNION ALL
       SELECT last_day, 0, 1 FROM member_artist_totals WHERE member_id = $1) marks
     GROUP BY day ORDER BY day`,
    [memberId],
  );
  await db.query(
    `INSERT INTO member_artist_months (member_id, month, lasts)
     SELECT $1, date_trunc('month', last_day)::date AS month, count(*) FROM member_artist_totals WHERE member_id = $1
     GROUP BY month ORDER BY month`,
    [memberId],
  );
  await db.query(
    `INSERT INTO member_track_totals (member_id, track_id, plays, ms)
     SELECT $1, track_id, count(*), coalesce(sum(ms_played), 0) FROM plays WHERE member_id = $1 GROUP BY track_id ORDER BY track_id`,
    [memberId],
  );
  await rebuildGenreTotals(db, memberId);
}

/** Erases the member's social totals (with their history, in its transaction). */
export async function deleteSocialTotals(db: Queryable, memberId: string): Promise<void> {
  for (const table of SOCIAL_TOTALS) await db.query(`DELETE FROM ${table} WHERE member_id = $1`, [memberId]);
}
