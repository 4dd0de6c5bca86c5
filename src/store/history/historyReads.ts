import type pg from 'pg';
import type { HistoryRepository, StoredPlay } from '../../app/history/ports.js';
import type { HistoryReader } from '../../app/charts/ports.js';
import { UNCLASSIFIED } from '../../core/history/index.js';
import { createRollupReader } from './rollupReader.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What /chart, /wrapped and suggestions read of one member's history: the plays, and the rollups
 * through the one rollup reader.
 */
export function createHistoryReads(
  pool: pg.Pool,
): HistoryReader & Pick<HistoryRepository, 'plays' | 'unclassifiedMembers' | 'topArtists' | 'totals' | 'gaps'> {
  const rollups = createRollupReader(pool);
  return {
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
    async unclassifiedMembers(memberIds) {
      if (memberIds && !memberIds.length) return [];
      const { rows } = await pool.query<{ member_id: string }>(
        `SELECT DISTINCT member_id FROM member_daily_genres WHERE ($1::text[] IS NULL OR member_id = ANY($1::text[])) AND genre = $2`,
        [memberIds ?? null, UNCLASSIFIED],
      );
      return rows.map((r) => r.member_id);
    },
    topArtists: (memberId, fromDay, toDay, limit) =>
      rollups.topArtists({ memberIds: [memberId] }, fromDay, toDay, limit),
    totals: (memberIds, fromDay, toDay) => rollups.memberTotals({ memberIds }, fromDay, toDay),
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
      const { rows } = await pool.query<{
        plays: number | null;
        ms: string | null;
        first: Date | null;
        last: Date | null;
      }>(
        `SELECT (SELECT sum(plays)::int FROM member_daily WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date) AS plays,
                (SELECT sum(ms)::text FROM member_daily WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date) AS ms,
                (SELECT min(played_at) FROM plays WHERE member_id = $1) AS first,
                (SELECT max(played_at) FROM plays WHERE member_id = $1) AS last`,
        [memberId, fromDay, toDay],
      );
      const r = rows[0]!;
      return {
        plays: r.plays ?? 0,
        ms: Number(r.ms ?? 0),
        firstPlayAt: r.first?.getTime(),
        lastPlayAt: r.last?.getTime(),
      };
    },
  };
}
