import type pg from 'pg';
import type { CollectorState, HistoryRepository, NewPlay, PollRecord, StoredPlay } from '../../app/history/ports.js';
import type { HistoryReader } from '../../app/charts/ports.js';
import { UNCLASSIFIED, rollupDelta } from '../../core/history/index.js';
import { inTransaction } from '../pool.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

const byKey = <T>(rows: Iterable<[string, T]>) =>
  [...new Map(rows).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (value: Date | string | null | undefined) => (value == null ? undefined : new Date(value).getTime());

/**
 * Tracks, albums and artists the plays refer to. Rows are written in key order (and never updated)
 * so that two transactions sharing catalogue rows cannot deadlock.
 */
async function upsertCatalogue(db: Queryable, plays: readonly NewPlay[]): Promise<void> {
  const artists = byKey(
    plays.flatMap((p) => p.track.artists.map((a) => [a.id, a] as [string, { id: string; name: string }])),
  );
  const albums = byKey(
    plays.flatMap((p) =>
      p.track.album ? [[p.track.album.id, p.track.album] as [string, NonNullable<NewPlay['track']['album']>]] : [],
    ),
  );
  const tracks = byKey(plays.map((p) => [p.track.id, p.track] as [string, NewPlay['track']]));
  if (artists.length)
    await db.query(
      `INSERT INTO artists (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
      [artists.map((a) => a.id), artists.map((a) => a.name)],
    );
  if (albums.length)
    await db.query(
      `INSERT INTO albums (id, name, release_date) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
      [albums.map((a) => a.id), albums.map((a) => a.name), albums.map((a) => a.releaseDate ?? null)],
    );
  await db.query(
    `INSERT INTO tracks (id, name, album_id, duration_ms, isrc) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      tracks.map((t) => t.id),
      tracks.map((t) => t.name),
      tracks.map((t) => t.album?.id ?? null),
      tracks.map((t) => t.durationMs ?? null),
      tracks.map((t) => t.isrc ?? null),
    ],
  );
  const credits = tracks.flatMap((t) => t.artists.map((a, position) => ({ trackId: t.id, position, artistId: a.id })));
  if (credits.length)
    await db.query(
      `INSERT INTO track_artists (track_id, position, artist_id) SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[]) ON CONFLICT DO NOTHING`,
      [credits.map((c) => c.trackId), credits.map((c) => c.position), credits.map((c) => c.artistId)],
    );
}

/**
 * Serialises every writer of one member's rollups (polls, imports, a genre rebuild) until the
 * transaction ends: adding deltas commutes, but a rebuild that recounts from the plays must not
 * interleave with a delta.
 */
async function lockMember(db: Queryable, memberId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('encore:history'), hashtext($1))`, [memberId]);
}

/**
 * Inserts the plays that are new and adds exactly those to the member's rollups, inside the
 * caller's transaction: a play already stored (an overlapping poll, a retry, the other instance)
 * is neither inserted nor counted again.
 */
async function storePlays(db: Queryable, memberId: string, plays: readonly NewPlay[]): Promise<number> {
  const unique = [...new Map(plays.map((p) => [p.playedAt, p])).values()].sort((a, b) => a.playedAt - b.playedAt);
  if (!unique.length) return 0;
  await lockMember(db, memberId);
  await upsertCatalogue(db, unique);
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
  if (delta.artists.length)
    await db.query(
      `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (member_id, day, artist_id) DO UPDATE SET plays = member_daily_artists.plays + EXCLUDED.plays, ms = member_daily_artists.ms + EXCLUDED.ms`,
      [
        memberId,
        delta.artists.map((r) => r.day),
        delta.artists.map((r) => r.artistId),
        delta.artists.map((r) => r.plays),
        delta.artists.map((r) => r.ms),
      ],
    );
  if (delta.genres.length)
    await db.query(
      `INSERT INTO member_daily_genres (member_id, day, genre, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (member_id, day, genre) DO UPDATE SET plays = member_daily_genres.plays + EXCLUDED.plays, ms = member_daily_genres.ms + EXCLUDED.ms`,
      [
        memberId,
        delta.genres.map((r) => r.day),
        delta.genres.map((r) => r.genre),
        delta.genres.map((r) => r.plays),
        delta.genres.map((r) => r.ms),
      ],
    );
  await addToSocialTotals(
    db,
    memberId,
    unique.filter((p) => fresh.has(p.playedAt)),
    delta,
  );
  return fresh.size;
}

/**
 * What fresh plays add to the member's all-time totals (src/store/migrations/0004_social.sql), in
 * the caller's transaction and under the member's lock, so they always equal a recount of the plays.
 */
async function addToSocialTotals(
  db: Queryable,
  memberId: string,
  fresh: readonly NewPlay[],
  delta: ReturnType<typeof rollupDelta>,
): Promise<void> {
  if (!fresh.length) return;
  const tracks = new Map<string, { plays: number; ms: number }>();
  for (const p of fresh) {
    const row = tracks.get(p.track.id) ?? { plays: 0, ms: 0 };
    row.plays += 1;
    row.ms += p.msPlayed ?? 0;
    tracks.set(p.track.id, row);
  }
  const trackRows = byKey(
    [...tracks].map(([id, t]) => [id, { id, ...t }] as [string, { id: string; plays: number; ms: number }]),
  );
  await db.query(
    `INSERT INTO member_track_totals (member_id, track_id, plays, ms) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (member_id, track_id) DO UPDATE SET plays = member_track_totals.plays + EXCLUDED.plays, ms = member_track_totals.ms + EXCLUDED.ms`,
    [memberId, trackRows.map((t) => t.id), trackRows.map((t) => t.plays), trackRows.map((t) => t.ms)],
  );

  const artists = new Map<string, { id: string; plays: number; ms: number; first: string; last: string }>();
  for (const r of delta.artists) {
    const row = artists.get(r.artistId);
    if (!row) artists.set(r.artistId, { id: r.artistId, plays: r.plays, ms: r.ms, first: r.day, last: r.day });
    else {
      row.plays += r.plays;
      row.ms += r.ms;
      if (r.day < row.first) row.first = r.day;
      if (r.day > row.last) row.last = r.day;
    }
  }
  const artistRows = byKey([...artists]);
  const before = new Map(
    artistRows.length
      ? (
          await db.query<{ artist_id: string; first: string; last: string }>(
            `SELECT artist_id, to_char(first_day, 'YYYY-MM-DD') AS first, to_char(last_day, 'YYYY-MM-DD') AS last
             FROM member_artist_totals WHERE member_id = $1 AND artist_id = ANY($2::text[])`,
            [memberId, artistRows.map((a) => a.id)],
          )
        ).rows.map((r) => [r.artist_id, r])
      : [],
  );
  // A discovery moves only when an import brings an older first play; the last play moves with
  // nearly every poll. Each artist counts once in firsts and once in lasts, on its current days.
  const marks = new Map<string, { day: string; firsts: number; lasts: number }>();
  const mark = (day: string, firsts: number, lasts: number) => {
    const row = marks.get(day) ?? { day, firsts: 0, lasts: 0 };
    row.firsts += firsts;
    row.lasts += lasts;
    marks.set(day, row);
  };
  let newArtists = 0;
  for (const a of artistRows) {
    const old = before.get(a.id);
    if (!old) {
      newArtists++;
      mark(a.first, 1, 0);
      mark(a.last, 0, 1);
      continue;
    }
    if (a.first < old.first) {
      mark(old.first, -1, 0);
      mark(a.first, 1, 0);
    }
    if (a.last > old.last) {
      mark(old.last, 0, -1);
      mark(a.last, 0, 1);
    }
  }
  if (artistRows.length)
    await db.query(
      `INSERT INTO member_artist_totals (member_id, artist_id, plays, ms, first_day, last_day)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::date[], $6::date[])
       ON CONFLICT (member_id, artist_id) DO UPDATE SET plays = member_artist_totals.plays + EXCLUDED.plays,
         ms = member_artist_totals.ms + EXCLUDED.ms,
         first_day = least(member_artist_totals.first_day, EXCLUDED.first_day),
         last_day = greatest(member_artist_totals.last_day, EXCLUDED.last_day)`,
      [
        memberId,
        artistRows.map((a) => a.id),
        artistRows.map((a) => a.plays),
        artistRows.map((a) => a.ms),
        artistRows.map((a) => a.first),
        artistRows.map((a) => a.last),
      ],
    );
  const months = new Map<string, { month: string; lasts: number }>();
  for (const m of marks.values()) {
    const month = `${m.day.slice(0, 7)}-01`;
    const row = months.get(month) ?? { month, lasts: 0 };
    row.lasts += m.lasts;
    months.set(month, row);
  }
  const monthRows = byKey([...months]).filter((m) => m.lasts !== 0);
  if (monthRows.length) {
    await db.query(
      `INSERT INTO member_artist_months (member_id, month, lasts) SELECT $1, * FROM unnest($2::date[], $3::int[])
       ON CONFLICT (member_id, month) DO UPDATE SET lasts = member_artist_months.lasts + EXCLUDED.lasts`,
      [memberId, monthRows.map((m) => m.month), monthRows.map((m) => m.lasts)],
    );
    await db.query(`DELETE FROM member_artist_months WHERE member_id = $1 AND month = ANY($2::date[]) AND lasts = 0`, [
      memberId,
      monthRows.map((m) => m.month),
    ]);
  }
  const markRows = byKey([...marks]).filter((m) => m.firsts !== 0 || m.lasts !== 0);
  if (markRows.length) {
    await db.query(
      `INSERT INTO member_artist_days (member_id, day, firsts, lasts) SELECT $1, * FROM unnest($2::date[], $3::int[], $4::int[])
       ON CONFLICT (member_id, day) DO UPDATE SET firsts = member_artist_days.firsts + EXCLUDED.firsts, lasts = member_artist_days.lasts + EXCLUDED.lasts`,
      [memberId, markRows.map((m) => m.day), markRows.map((m) => m.firsts), markRows.map((m) => m.lasts)],
    );
    await db.query(
      `DELETE FROM member_artist_days WHERE member_id = $1 AND day = ANY($2::date[]) AND firsts = 0 AND lasts = 0`,
      [memberId, markRows.map((m) => m.day)],
    );
  }
  await db.query(
    `INSERT INTO member_totals (member_id, plays, ms, artists) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id) DO UPDATE SET plays = member_totals.plays + EXCLUDED.plays, ms = member_totals.ms + EXCLUDED.ms,
       artists = member_totals.artists + EXCLUDED.artists`,
    [memberId, fresh.length, fresh.reduce((sum, p) => sum + (p.msPlayed ?? 0), 0), newArtists],
  );

  const genres = new Map<string, { genre: string; plays: number; ms: number }>();
  for (const r of delta.genres) {
    const row = genres.get(r.genre) ?? { genre: r.genre, plays: 0, ms: 0 };
    row.plays += r.plays;
    row.ms += r.ms;
    genres.set(r.genre, row);
  }
  const genreRows = byKey([...genres]);
  await db.query(
    `INSERT INTO member_genre_totals (member_id, genre, plays, ms) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (member_id, genre) DO UPDATE SET plays = member_genre_totals.plays + EXCLUDED.plays, ms = member_genre_totals.ms + EXCLUDED.ms`,
    [memberId, genreRows.map((g) => g.genre), genreRows.map((g) => g.plays), genreRows.map((g) => g.ms)],
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
  let plays = Number(base?.plays ?? 0);
  let ms = Number(base?.ms ?? 0);
  let firsts = base?.firsts ?? 0;
  const genres: Record<string, number> = { ...(base?.genre_ms ?? {}) };
  const rows = days.map((d) => {
    plays += d.plays;
    ms += Number(d.ms);
    firsts += d.firsts;
    for (const [genre, add] of Object.entries(d.genres ?? {})) if (add > 0) genres[genre] = (genres[genre] ?? 0) + add;
    return { day: d.day, plays, ms, firsts, genres: JSON.stringify(genres) };
  });
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
      rows.map((r) => r.genres),
    ],
  );
}

/** After a genre rebuild every genre's totals may have moved: recount them from the rollups. */
async function rebuildGenreTotals(db: Queryable, memberId: string): Promise<void> {
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
  for (const table of SOCIAL_TOTALS) await db.query(`DELETE FROM ${table} WHERE member_id = $1`, [memberId]);
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

/** The member's social totals (0004_social.sql), erased with their history. */
const SOCIAL_TOTALS = [
  'member_totals',
  'member_artist_totals',
  'member_artist_days',
  'member_artist_months',
  'member_track_totals',
  'member_genre_totals',
  'member_cumulative',
];

interface StateRow {
  member_id: string;
  cursor_ms: string | null;
  next_poll_at: Date;
  last_poll_at: Date | null;
  last_count: number | null;
  last_play_at: Date | null;
  failures: number;
}
const toState = (r: StateRow): CollectorState => ({
  memberId: r.member_id,
  cursor: r.cursor_ms === null ? undefined : Number(r.cursor_ms),
  nextPollAt: r.next_poll_at.getTime(),
  lastPollAt: msOf(r.last_poll_at),
  lastCount: r.last_count ?? undefined,
  lastPlayAt: msOf(r.last_play_at),
  failures: r.failures,
});

/** Listening history in its SQL tables (src/store/migrations). */
export function createHistoryRepository(pool: pg.Pool): HistoryRepository &
  HistoryReader & {
    /** What a poll or an unlink must not leave behind: rows per table for one member (tests). */
    countRows(memberId: string): Promise<Record<string, number>>;
  } {
  return {
    async collectorStates(memberIds) {
      if (!memberIds.length) return new Map();
      const { rows } = await pool.query<StateRow>(`SELECT * FROM collector_state WHERE member_id = ANY($1::text[])`, [
        memberIds,
      ]);
      return new Map(rows.map((r) => [r.member_id, toState(r)]));
    },
    async ensureCollectorState(memberId, now) {
      await pool.query(
        `INSERT INTO collector_state (member_id, next_poll_at) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING`,
        [memberId, iso(now)],
      );
      const { rows } = await pool.query<StateRow>(`SELECT * FROM collector_state WHERE member_id = $1`, [memberId]);
      return toState(rows[0]!);
    },
    async recordPoll(memberId, poll: PollRecord) {
      return inTransaction(pool, async (db) => {
        // The row lock orders this poll against an /unlink: whichever commits second sees the other.
        const { rowCount } = await db.query(`SELECT 1 FROM collector_state WHERE member_id = $1 FOR UPDATE`, [
          memberId,
        ]);
        if (!rowCount) return undefined;
        const inserted = await storePlays(db, memberId, poll.plays);
        if (poll.gap)
          await db.query(
            `INSERT INTO history_gaps (member_id, gap_from, gap_to, detected_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
            [memberId, iso(poll.gap.from), iso(poll.gap.to), iso(poll.detectedAt)],
          );
        const s = poll.state;
        await db.query(
          `UPDATE collector_state SET cursor_ms = $2, next_poll_at = $3, last_poll_at = $4, last_count = $5, last_play_at = $6, failures = 0 WHERE member_id = $1`,
          [
            memberId,
            s.cursor ?? null,
            iso(s.nextPollAt),
            s.lastPollAt === undefined ? null : iso(s.lastPollAt),
            s.lastCount ?? null,
            s.lastPlayAt === undefined ? null : iso(s.lastPlayAt),
          ],
        );
        return { inserted };
      });
    },
    async recordFailure(memberId, nextPollAt) {
      await pool.query(`UPDATE collector_state SET next_poll_at = $2, failures = failures + 1 WHERE member_id = $1`, [
        memberId,
        iso(nextPollAt),
      ]);
    },
    async dropCollectorState(memberId) {
      await pool.query(`DELETE FROM collector_state WHERE member_id = $1`, [memberId]);
    },
    insertPlays: (memberId, plays) => inTransaction(pool, (db) => storePlays(db, memberId, plays)),
    async deleteForUser(memberId) {
      return inTransaction(pool, async (db) => {
        // The collector state first: its row lock makes a poll in flight for this member discard its plays.
        await db.query(`DELETE FROM collector_state WHERE member_id = $1`, [memberId]);
        const { rowCount } = await db.query(`DELETE FROM plays WHERE member_id = $1`, [memberId]);
        for (const table of [
          'member_daily',
          'member_daily_artists',
          'member_daily_genres',
          'history_gaps',
          ...SOCIAL_TOTALS,
        ])
          await db.query(`DELETE FROM ${table} WHERE member_id = $1`, [memberId]);
        return rowCount ?? 0;
      });
    },
    async plays(memberId, from, to) {
      const { rows } = await pool.query<{
        played_at: Date;
        track_id: string;
        ms_played: number | null;
        ms_estimated: boolean;
        source: 'collected' | 'imported';
        context_uri: string | null;
      }>(
        `SELECT played_at, track_id, ms_played, ms_estimated, source, context_uri FROM plays WHERE member_id = $1 AND ($2::timestamptz IS NULL OR played_at >= $2) AND ($3::timestamptz IS NULL OR played_at <= $3) ORDER BY played_at`,
        [memberId, from === undefined ? null : iso(from), to === undefined ? null : iso(to)],
      );
      return rows.map((r): StoredPlay => ({
        playedAt: r.played_at.getTime(),
        trackId: r.track_id,
        msPlayed: r.ms_played,
        msEstimated: r.ms_estimated,
        source: r.source,
        contextUri: r.context_uri,
      }));
    },
    async rebuildGenreRollups(memberId, genreOf) {
      return inTransaction(pool, async (db) => {
        await lockMember(db, memberId);
        const { rows } = await db.query<{ played_at: Date; ms: number | null; artists: string[] | null }>(
          `SELECT p.played_at, p.ms_played AS ms, array_agg(ta.artist_id ORDER BY ta.position) FILTER (WHERE ta.artist_id IS NOT NULL) AS artists
           FROM plays p LEFT JOIN track_artists ta ON ta.track_id = p.track_id
           WHERE p.member_id = $1 GROUP BY p.played_at, p.ms_played`,
          [memberId],
        );
        const genres = await genreOf([...new Set(rows.flatMap((r) => r.artists ?? []))]);
        const delta = rollupDelta(
          rows.map((r) => ({
            playedAt: r.played_at.getTime(),
            ms: r.ms ?? 0,
            artistIds: [],
            genre: genres(r.artists ?? []),
          })),
        );
        await db.query(`DELETE FROM member_daily_genres WHERE member_id = $1`, [memberId]);
        if (delta.genres.length)
          await db.query(
            `INSERT INTO member_daily_genres (member_id, day, genre, plays, ms) SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[], $5::bigint[])`,
            [
              memberId,
              delta.genres.map((r) => r.day),
              delta.genres.map((r) => r.genre),
              delta.genres.map((r) => r.plays),
              delta.genres.map((r) => r.ms),
            ],
          );
        await rebuildGenreTotals(db, memberId);
        return rows.length;
      });
    },
    async unclassifiedMembers(memberIds) {
      if (!memberIds.length) return [];
      const { rows } = await pool.query<{ member_id: string }>(
        `SELECT DISTINCT member_id FROM member_daily_genres WHERE member_id = ANY($1::text[]) AND genre = $2`,
        [memberIds, UNCLASSIFIED],
      );
      return rows.map((r) => r.member_id);
    },
    async topArtists(memberId, fromDay, toDay, limit) {
      // A range scan of the member's rollup rows (primary key member_id, day, artist_id).
      const { rows } = await pool.query<{ artist_id: string; name: string; plays: number; ms: string }>(
        `SELECT r.artist_id, a.name, sum(r.plays)::int AS plays, sum(r.ms)::text AS ms
         FROM member_daily_artists r JOIN artists a ON a.id = r.artist_id
         WHERE r.member_id = $1 AND r.day BETWEEN $2::date AND $3::date
         GROUP BY r.artist_id, a.name ORDER BY plays DESC, ms DESC, r.artist_id LIMIT $4`,
        [memberId, fromDay, toDay, limit],
      );
      return rows.map((r) => ({ artistId: r.artist_id, name: r.name, plays: r.plays, ms: Number(r.ms) }));
    },
    async totals(memberIds, fromDay, toDay) {
      const { rows } = await pool.query<{ member_id: string; plays: number; ms: string }>(
        `SELECT member_id, sum(plays)::int AS plays, sum(ms)::text AS ms FROM member_daily
         WHERE member_id = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date GROUP BY member_id ORDER BY plays DESC, member_id`,
        [memberIds, fromDay, toDay],
      );
      return rows.map((r) => ({ memberId: r.member_id, plays: r.plays, ms: Number(r.ms) }));
    },
    async gaps(memberId) {
      const { rows } = await pool.query<{ gap_from: Date; gap_to: Date }>(
        `SELECT gap_from, gap_to FROM history_gaps WHERE member_id = $1 ORDER BY gap_from`,
        [memberId],
      );
      return rows.map((r) => ({ from: r.gap_from.getTime(), to: r.gap_to.getTime() }));
    },
    async playTimes(memberId, from, to) {
      // One row of text instead of 25k rows (node-postgres builds an object and a Date per row):
      // "seconds:ms" pairs, ms of a play being at most a few hours.
      const { rows } = await pool.query<{ pairs: string | null }>(
        `SELECT string_agg(extract(epoch FROM played_at)::bigint || ':' || coalesce(ms_played, 0), ',') AS pairs
         FROM plays WHERE member_id = $1 AND played_at >= $2 AND played_at <= $3`,
        [memberId, iso(from), iso(to)],
      );
      const pairs = rows[0]?.pairs;
      if (!pairs) return [];
      return pairs.split(',').map((pair) => {
        const colon = pair.indexOf(':');
        return { playedAt: Number(pair.slice(0, colon)) * 1000, ms: Number(pair.slice(colon + 1)) };
      });
    },
    async topTracks(memberId, from, to, limit) {
      const { rows } = await pool.query<{
        track_id: string;
        name: string;
        artists: string[] | null;
        plays: number;
        ms: string;
      }>(
        `WITH top AS (
           SELECT track_id, count(*)::int AS plays, coalesce(sum(ms_played), 0)::text AS ms FROM plays
           WHERE member_id = $1 AND played_at >= $2 AND played_at <= $3
           GROUP BY track_id ORDER BY plays DESC, sum(ms_played) DESC NULLS LAST, track_id LIMIT $4)
         SELECT top.track_id, t.name, top.plays, top.ms,
           (SELECT array_agg(a.name ORDER BY ta.position) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            WHERE ta.track_id = top.track_id) AS artists
         FROM top JOIN tracks t ON t.id = top.track_id
         ORDER BY top.plays DESC, top.ms::bigint DESC, top.track_id`,
        [memberId, iso(from), iso(to), limit],
      );
      return rows.map((r) => ({
        trackId: r.track_id,
        name: r.name,
        artists: r.artists ?? [],
        plays: r.plays,
        ms: Number(r.ms),
      }));
    },
    async genreDays(memberId, fromDay, toDay, per = 'day') {
      // Summed in SQL for weeks (ISO weeks start on Monday, like the chart's) or the whole period.
      const bucket = per === 'day' ? 'day' : per === 'week' ? `date_trunc('week', day)::date` : `$2::date`;
      const { rows } = await pool.query<{ day: string; genre: string; plays: number; ms: string }>(
        `SELECT to_char(${bucket}, 'YYYY-MM-DD') AS day, genre, sum(plays)::int AS plays, sum(ms)::text AS ms
         FROM member_daily_genres WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date
         GROUP BY 1, genre ORDER BY 1, genre`,
        [memberId, fromDay, toDay],
      );
      return rows.map((r) => ({ day: r.day, genre: r.genre, plays: r.plays, ms: Number(r.ms) }));
    },
    async summary(memberId, fromDay, toDay) {
      const { rows } = await pool.query<{ plays: number | null; ms: string | null; first: Date | null }>(
        `SELECT (SELECT sum(plays)::int FROM member_daily WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date) AS plays,
                (SELECT sum(ms)::text FROM member_daily WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date) AS ms,
                (SELECT min(played_at) FROM plays WHERE member_id = $1) AS first`,
        [memberId, fromDay, toDay],
      );
      const r = rows[0]!;
      return { plays: r.plays ?? 0, ms: Number(r.ms ?? 0), firstPlayAt: msOf(r.first) };
    },
    async countRows(memberId) {
      const out: Record<string, number> = {};
      for (const table of [
        'plays',
        'member_daily',
        'member_daily_artists',
        'member_daily_genres',
        'history_gaps',
        'collector_state',
        ...SOCIAL_TOTALS,
      ]) {
        const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE member_id = $1`, [
          memberId,
        ]);
        out[table] = Number(rows[0]!.n);
      }
      return out;
    },
  };
}
