import { createHash } from 'node:crypto';
import type pg from 'pg';
import type {
  CatalogueItem,
  Crown,
  CrownChange,
  Day,
  LeaderboardMetric,
  Listener,
  RankedMember,
  SocialPeriod,
  SocialRepository,
  WhoKnowsKind,
} from '../../app/social/ports.js';
import { UNCLASSIFIED, genreLabel } from '../../core/history/index.js';
import { genreDiversity, periodStart, rankDescending, windowPieces } from '../../core/social/index.js';
import { inTransaction } from '../pool.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

const iso = (ms: number) => new Date(ms).toISOString();
/** A LIKE pattern matching `text` anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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

const TOTALS: Record<Exclude<WhoKnowsKind, 'genre'>, { table: string; column: string; catalogue: string }> = {
  artist: { table: 'member_artist_totals', column: 'artist_id', catalogue: 'artists' },
  track: { table: 'member_track_totals', column: 'track_id', catalogue: 'tracks' },
};

interface CrownRow {
  guild_id: string;
  artist_id: string;
  artist_name: string;
  holder_id: string;
  plays: number;
  since: Date;
}
const toCrown = (r: CrownRow): Crown => ({
  guildId: r.guild_id,
  artistId: r.artist_id,
  artistName: r.artist_name,
  holderId: r.holder_id,
  plays: r.plays,
  since: r.since.getTime(),
});
interface ChangeRow {
  guild_id: string;
  artist_id: string;
  artist_name: string;
  from_id: string | null;
  to_id: string;
  plays: number;
  at: Date;
}
const toChange = (r: ChangeRow): CrownChange => ({
  guildId: r.guild_id,
  artistId: r.artist_id,
  artistName: r.artist_name,
  fromId: r.from_id,
  toId: r.to_id,
  plays: r.plays,
  at: r.at.getTime(),
});

/** Server social over the history tables and the totals of 0004_social.sql. */
export function createSocialRepository(pool: pg.Pool): SocialRepository {
  return {
    async setVisible(memberId, guildId, visible) {
      if (visible)
        await pool.query(`INSERT INTO guild_visibility (guild_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          guildId,
          memberId,
        ]);
      else await pool.query(`DELETE FROM guild_visibility WHERE guild_id = $1 AND member_id = $2`, [guildId, memberId]);
    },
    async syncVisibility(memberId, guildIds) {
      await inTransaction(pool, async (db) => {
        await db.query(`DELETE FROM guild_visibility WHERE member_id = $1 AND NOT (guild_id = ANY($2::text[]))`, [
          memberId,
          [...guildIds],
        ]);
        await db.query(
          `INSERT INTO guild_visibility (guild_id, member_id) SELECT g, $1 FROM unnest($2::text[]) AS g ON CONFLICT DO NOTHING`,
          [memberId, [...new Set(guildIds)].sort()],
        );
      });
    },
    async visibleMembers(guildId) {
      const { rows } = await pool.query<{ member_id: string }>(
        `SELECT member_id FROM guild_visibility WHERE guild_id = $1 ORDER BY member_id`,
        [guildId],
      );
      return rows.map((r) => r.member_id);
    },

    async leaderboard(guildId, metric, period: SocialPeriod, today): Promise<RankedMember[]> {
      const values = await metricValues(pool, guildId, metric, periodStart(period, today), today);
      return rankDescending(
        values.filter((v) => v.value > 0),
        (v) => v.value,
        (v) => v.memberId,
      ).map(({ memberId, value, rank }) => ({ memberId, value, rank }));
    },

    async whoKnows(guildId, kind, id, limit): Promise<Listener[]> {
      const { table, column } = kind === 'genre' ? { table: 'member_genre_totals', column: 'genre' } : TOTALS[kind];
      const { rows } = await pool.query<{ member_id: string; plays: number; ms: string; rank: string }>(
        `SELECT t.member_id, t.plays, t.ms, rank() OVER (ORDER BY t.plays DESC) AS rank
         FROM ${table} t JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
         WHERE t.${column} = $2 AND t.plays > 0
         ORDER BY t.plays DESC, t.ms DESC, t.member_id LIMIT $3`,
        [guildId, id, limit],
      );
      return rows.map((r) => ({ memberId: r.member_id, plays: r.plays, ms: Number(r.ms), rank: Number(r.rank) }));
    },

    async findInServer(guildId, kind, query, limit): Promise<CatalogueItem[]> {
      const text = query.trim();
      if (kind === 'genre') {
        const { rows } = await pool.query<{ genre: string }>(
          `SELECT g.genre FROM member_genre_totals g JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = g.member_id
           WHERE g.genre <> $2 GROUP BY g.genre ORDER BY sum(g.plays) DESC, g.genre`,
          [guildId, UNCLASSIFIED],
        );
        const needle = text.toLowerCase();
        return rows
          .map((r) => ({ kind, id: r.genre, name: genreLabel(r.genre) }))
          .filter((g) => g.name.toLowerCase().includes(needle) || g.id.includes(needle))
          .slice(0, limit);
      }
      // Before anything is typed, Discord asks at once: what the server played lately (artists over
      // the last week, tracks over the last two days, up to the latest day a visible member here
      // played: nobody elsewhere moves that window) answers that quickly, where all time would sum
      // every member's every item.
      if (!text) {
        const latest = (
          await pool.query<{ day: string | null }>(
            `SELECT to_char(max(l.day), 'YYYY-MM-DD') AS day FROM guild_visibility v
             CROSS JOIN LATERAL (
               SELECT d.day FROM member_daily d WHERE d.member_id = v.member_id ORDER BY d.day DESC LIMIT 1) l
             WHERE v.guild_id = $1`,
            [guildId],
          )
        ).rows[0]?.day;
        if (!latest) return [];
        if (kind === 'artist') {
          const { rows } = await pool.query<{ id: string; name: string }>(
            `SELECT a.id, a.name FROM member_daily_artists r
             JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = r.member_id
             JOIN artists a ON a.id = r.artist_id
             WHERE r.day > $2::date - 7
             GROUP BY a.id, a.name ORDER BY sum(r.plays) DESC, a.name, a.id LIMIT $3`,
            [guildId, latest, limit],
          );
          return rows.map((r) => ({ kind, id: r.id, name: r.name }));
        }
        const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
          `WITH top AS (
             SELECT p.track_id, count(*) AS plays FROM guild_visibility v
             CROSS JOIN LATERAL (
               SELECT p.track_id FROM plays p WHERE p.member_id = v.member_id AND p.played_at >= ($2::date - 1)::timestamp AT TIME ZONE 'UTC') p
             WHERE v.guild_id = $1
             GROUP BY p.track_id ORDER BY plays DESC, p.track_id LIMIT $3)
           SELECT tr.id, tr.name,
             (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
              WHERE ta.track_id = top.track_id ORDER BY ta.position LIMIT 1) AS artist
           FROM top JOIN tracks tr ON tr.id = top.track_id ORDER BY top.plays DESC, tr.name, tr.id`,
          [guildId, latest, limit],
        );
        return rows.map((r) => ({ kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) }));
      }
      if (kind === 'artist') {
        const { rows } = await pool.query<{ id: string; name: string }>(
          `SELECT a.id, a.name FROM member_artist_totals t
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
           JOIN artists a ON a.id = t.artist_id
           WHERE a.name ILIKE $2 GROUP BY a.id, a.name ORDER BY sum(t.plays) DESC, a.name, a.id LIMIT $3`,
          [guildId, containing(text), limit],
        );
        return rows.map((r) => ({ kind, id: r.id, name: r.name }));
      }
      const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
        `WITH top AS (
           SELECT tr.id, tr.name, sum(t.plays) AS plays FROM member_track_totals t
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
           JOIN tracks tr ON tr.id = t.track_id
           WHERE tr.name ILIKE $2 GROUP BY tr.id, tr.name ORDER BY plays DESC, tr.name, tr.id LIMIT $3)
         SELECT top.id, top.name,
           (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            WHERE ta.track_id = top.id ORDER BY ta.position LIMIT 1) AS artist
         FROM top ORDER BY top.plays DESC, top.name, top.id`,
        [guildId, containing(text), limit],
      );
      return rows.map((r) => ({ kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) }));
    },

    async resolveInServer(guildId, kind, lookup) {
      if (kind === 'genre') {
        // A server's genres are a handful: matched here, as autocomplete offers them.
        const { rows } = await pool.query<{ genre: string }>(
          `SELECT DISTINCT g.genre FROM member_genre_totals g
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = g.member_id
           WHERE g.genre <> $2 AND g.plays > 0`,
          [guildId, UNCLASSIFIED],
        );
        const found = rows.find(({ genre }) =>
          'id' in lookup
            ? genre === lookup.id
            : 'idMd5' in lookup
              ? createHash('md5').update(genre, 'utf8').digest('hex') === lookup.idMd5
              : genre === lookup.name || genreLabel(genre).toLowerCase() === lookup.name.trim().toLowerCase(),
        );
        return found && { kind, id: found.genre, name: genreLabel(found.genre) };
      }
      const { table, column, catalogue } = TOTALS[kind];
      const played = `${table} t JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id`;
      const hit =
        'id' in lookup
          ? `SELECT $2::text AS id WHERE EXISTS (SELECT 1 FROM ${played} WHERE t.${column} = $2 AND t.plays > 0)`
          : 'idMd5' in lookup
            ? // Only an id that is not plain printable ASCII within 99 characters has a hashed key
              // (pickKey in src/app/social/social.ts); migration 0008 indexes exactly those ids.
              `SELECT c.id FROM ${catalogue} c
               WHERE (octet_length(c.id) > 99 OR c.id ~ '[^!-~]') AND md5(c.id) = $2
                 AND EXISTS (SELECT 1 FROM ${played} WHERE t.${column} = c.id AND t.plays > 0)
               LIMIT 1`
            : `SELECT c.id FROM ${played} JOIN ${catalogue} c ON c.id = t.${column}
               WHERE lower(c.name) = lower($2) AND t.plays > 0
               GROUP BY c.id ORDER BY sum(t.plays) DESC, c.id LIMIT 1`;
      const key = 'id' in lookup ? lookup.id : 'idMd5' in lookup ? lookup.idMd5 : lookup.name;
      const { rows } = await pool.query<{ id: string; name: string; artist: string | null }>(
        `WITH hit AS (${hit})
         SELECT c.id, c.name, ${
           kind === 'track'
             ? `(SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                 WHERE ta.track_id = c.id ORDER BY ta.position LIMIT 1)`
             : 'NULL'
         } AS artist
         FROM hit JOIN ${catalogue} c ON c.id = hit.id`,
        [guildId, key],
      );
      const r = rows[0];
      return r && { kind, id: r.id, name: r.name, ...(r.artist === null ? {} : { detail: r.artist }) };
    },

    async refreshCrowns(guildId, threshold, now, artistId) {
      return inTransaction(pool, async (db) => {
        // One refresh per server at a time: two would both see the old holder and record the change twice.
        await db.query(`SELECT pg_advisory_xact_lock(hashtext('encore:crowns'), hashtext($1))`, [guildId]);
        const { rows } = await db.query<ChangeRow>(
          `WITH best AS (
             SELECT t.artist_id, t.member_id, t.plays, max(t.plays) OVER (PARTITION BY t.artist_id) AS top
             FROM member_artist_totals t
             JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
             WHERE t.plays >= $2 AND ($4::text IS NULL OR t.artist_id = $4)
           ), winners AS (
             -- Among the members tied at the top, the current holder keeps it; else the lowest id.
             SELECT DISTINCT ON (b.artist_id) b.artist_id, b.member_id, b.plays, c.holder_id AS previous
             FROM best b LEFT JOIN crowns c ON c.guild_id = $1 AND c.artist_id = b.artist_id
             WHERE b.plays = b.top
             ORDER BY b.artist_id, (b.member_id = c.holder_id) DESC NULLS LAST, b.member_id
           ), vacated AS (
             DELETE FROM crowns c WHERE c.guild_id = $1 AND ($4::text IS NULL OR c.artist_id = $4)
               AND NOT EXISTS (SELECT 1 FROM winners w WHERE w.artist_id = c.artist_id)
           ), upserted AS (
             INSERT INTO crowns (guild_id, artist_id, holder_id, plays, since)
             SELECT $1, w.artist_id, w.member_id, w.plays, $3 FROM winners w
             WHERE w.previous IS DISTINCT FROM w.member_id
                OR w.plays <> (SELECT c.plays FROM crowns c WHERE c.guild_id = $1 AND c.artist_id = w.artist_id)
             ORDER BY w.artist_id
             ON CONFLICT (guild_id, artist_id) DO UPDATE SET holder_id = EXCLUDED.holder_id, plays = EXCLUDED.plays,
               since = CASE WHEN crowns.holder_id = EXCLUDED.holder_id THEN crowns.since ELSE EXCLUDED.since END
           )
           INSERT INTO crown_events (guild_id, artist_id, from_id, to_id, plays, at)
           SELECT $1, w.artist_id, w.previous, w.member_id, w.plays, $3 FROM winners w
           WHERE w.previous IS DISTINCT FROM w.member_id ORDER BY w.artist_id
           RETURNING guild_id, artist_id, (SELECT name FROM artists WHERE id = artist_id) AS artist_name, from_id, to_id, plays, at`,
          [guildId, threshold, iso(now), artistId ?? null],
        );
        return rows.map(toChange).sort((a, b) => (a.artistId < b.artistId ? -1 : a.artistId > b.artistId ? 1 : 0));
      });
    },
    async crownsOf(guildId, memberId) {
      // Read through the visibility mirror: opting out hides crowns at once, before the next refresh.
      const { rows } = await pool.query<CrownRow>(
        `SELECT c.guild_id, c.artist_id, a.name AS artist_name, c.holder_id, c.plays, c.since
         FROM crowns c JOIN artists a ON a.id = c.artist_id
         JOIN guild_visibility v ON v.guild_id = c.guild_id AND v.member_id = c.holder_id
         WHERE c.guild_id = $1 AND c.holder_id = $2 ORDER BY c.plays DESC, a.name, c.artist_id`,
        [guildId, memberId],
      );
      return rows.map(toCrown);
    },
    async crownOf(guildId, artistId) {
      const { rows } = await pool.query<CrownRow>(
        `SELECT c.guild_id, c.artist_id, a.name AS artist_name, c.holder_id, c.plays, c.since
         FROM crowns c JOIN artists a ON a.id = c.artist_id
         JOIN guild_visibility v ON v.guild_id = c.guild_id AND v.member_id = c.holder_id
         WHERE c.guild_id = $1 AND c.artist_id = $2`,
        [guildId, artistId],
      );
      return rows[0] && toCrown(rows[0]);
    },
    async crownChanges(guildId, from, to) {
      const { rows } = await pool.query<ChangeRow>(
        // Only what visible members did: a change to someone who has since opted out is left out,
        // and one from them reads as a first claim, so the digest never names them.
        `SELECT e.guild_id, e.artist_id, a.name AS artist_name,
           CASE WHEN EXISTS (SELECT 1 FROM guild_visibility f WHERE f.guild_id = e.guild_id AND f.member_id = e.from_id)
             THEN e.from_id END AS from_id, e.to_id, e.plays, e.at
         FROM crown_events e JOIN artists a ON a.id = e.artist_id
         JOIN guild_visibility v ON v.guild_id = e.guild_id AND v.member_id = e.to_id
         WHERE e.guild_id = $1 AND e.at >= $2 AND e.at < $3 ORDER BY e.at, e.id`,
        [guildId, iso(from), iso(to)],
      );
      return rows.map(toChange);
    },

    async tasteProfile(memberId, limit) {
      const [artists, genres] = await Promise.all([
        pool.query<{ id: string; name: string; plays: number }>(
          `SELECT t.artist_id AS id, a.name, t.plays FROM member_artist_totals t JOIN artists a ON a.id = t.artist_id
           WHERE t.member_id = $1 ORDER BY t.plays DESC, t.ms DESC, t.artist_id LIMIT $2`,
          [memberId, limit],
        ),
        pool.query<{ genre: string; plays: number }>(
          `SELECT genre, plays FROM member_genre_totals WHERE member_id = $1 AND genre <> $2 AND plays > 0
           ORDER BY plays DESC, genre`,
          [memberId, UNCLASSIFIED],
        ),
      ]);
      return { memberId, artists: artists.rows, genres: genres.rows };
    },

    async serverTopArtists(guildId, fromDay, toDay, limit) {
      const { rows } = await pool.query<{ id: string; name: string; plays: string; ms: string }>(
        `WITH top AS (
           SELECT r.artist_id, sum(r.plays) AS plays, sum(r.ms) AS ms FROM member_daily_artists r
           JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = r.member_id
           WHERE r.day BETWEEN $2::date AND $3::date
           GROUP BY r.artist_id ORDER BY plays DESC, ms DESC, r.artist_id LIMIT $4)
         SELECT top.artist_id AS id, a.name, top.plays, top.ms FROM top JOIN artists a ON a.id = top.artist_id
         ORDER BY top.plays DESC, top.ms DESC, top.artist_id`,
        [guildId, fromDay, toDay, limit],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, plays: Number(r.plays), ms: Number(r.ms) }));
    },
    async serverTopGenres(guildId, fromDay, toDay, limit) {
      const { rows } = await pool.query<{ genre: string; plays: string; ms: string }>(
        `SELECT r.genre, sum(r.plays) AS plays, sum(r.ms) AS ms FROM member_daily_genres r
         JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = r.member_id
         WHERE r.day BETWEEN $2::date AND $3::date
         GROUP BY r.genre ORDER BY plays DESC, ms DESC, r.genre LIMIT $4`,
        [guildId, fromDay, toDay, limit],
      );
      return rows.map((r) => ({ genre: r.genre, plays: Number(r.plays), ms: Number(r.ms) }));
    },
    async serverClock(guildId, from, to) {
      const { rows } = await pool.query<{ weekday: number; hour: number; plays: string }>(
        `SELECT extract(isodow FROM p.played_at AT TIME ZONE 'UTC')::int - 1 AS weekday,
                extract(hour FROM p.played_at AT TIME ZONE 'UTC')::int AS hour, count(*) AS plays
         FROM plays p JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = p.member_id
         WHERE p.played_at >= $2 AND p.played_at < $3
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [guildId, iso(from), iso(to)],
      );
      return rows.map((r) => ({ weekday: r.weekday, hour: r.hour, plays: Number(r.plays) }));
    },

    async deleteForUser(memberId) {
      return inTransaction(pool, async (db) => {
        let n = 0;
        for (const [sql, params] of [
          [`DELETE FROM guild_visibility WHERE member_id = $1`, [memberId]],
          [`DELETE FROM crowns WHERE holder_id = $1`, [memberId]],
          [`DELETE FROM crown_events WHERE from_id = $1 OR to_id = $1`, [memberId]],
        ] as const)
          n += (await db.query(sql, [...params])).rowCount ?? 0;
        return n;
      });
    },
  };
}
