import type pg from 'pg';
import type { HistoryRepository } from '../../app/history/ports.js';
import type { HistoryReader } from '../../app/charts/ports.js';
import { rollupDelta } from '../../core/history/index.js';
import { inTransaction } from '../pool.js';
import { SOCIAL_TOTALS, deleteSocialTotals, rebuildGenreTotals } from '../social/socialTotalsWriter.js';
import { createCollectorStateRepository } from './collectorState.js';
import { createHistoryReads } from './historyReads.js';
import { lockMember } from './memberLock.js';
import { storePlays } from './storePlays.js';

/** The member's own history tables, erased with their plays (the social totals come with them). */
const HISTORY_TABLES = ['member_daily', 'member_daily_artists', 'member_daily_genres', 'history_gaps'];

/**
 * Listening history in its SQL tables (src/store/migrations): the collector's state and the plays
 * it stores (collectorState.ts, storePlays.ts), what the charts read (historyReads.ts), and the
 * rewrites that span both (erasure, a genre rebuild).
 */
export function createHistoryRepository(pool: pg.Pool): HistoryRepository &
  HistoryReader & {
    /** What a poll or an unlink must not leave behind: rows per table for one member (tests). */
    countRows(memberId: string): Promise<Record<string, number>>;
  } {
  return {
    ...createCollectorStateRepository(pool),
    ...createHistoryReads(pool),
    insertPlays: (memberId, plays) => inTransaction(pool, (db) => storePlays(db, memberId, plays)),
    async deleteForUser(memberId) {
      return inTransaction(pool, async (db) => {
        // The collector state first: its row lock makes a poll in flight for this member discard its plays.
        await db.query(`DELETE FROM collector_state WHERE member_id = $1`, [memberId]);
        const { rowCount } = await db.query(`DELETE FROM plays WHERE member_id = $1`, [memberId]);
        for (const table of HISTORY_TABLES) await db.query(`DELETE FROM ${table} WHERE member_id = $1`, [memberId]);
        await deleteSocialTotals(db, memberId);
        return rowCount ?? 0;
      });
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
    async countRows(memberId) {
      const out: Record<string, number> = {};
      for (const table of ['plays', ...HISTORY_TABLES, 'collector_state', ...SOCIAL_TOTALS]) {
        const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE member_id = $1`, [
          memberId,
        ]);
        out[table] = Number(rows[0]!.n);
      }
      return out;
    },
  };
}
