import type pg from 'pg';
import type { CollectorState, HistoryRepository, PollRecord } from '../../app/history/ports.js';
import { inTransaction } from '../pool.js';
import { storePlays } from './storePlays.js';

const iso = (ms: number) => new Date(ms).toISOString();
const msOf = (value: Date | null) => (value == null ? undefined : value.getTime());

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

/** Where the collector stands for each member (collector_state), and a poll's plays stored with it. */
export function createCollectorStateRepository(
  pool: pg.Pool,
): Pick<
  HistoryRepository,
  'collectorStates' | 'ensureCollectorState' | 'recordPoll' | 'recordFailure' | 'dropCollectorState'
> {
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
  };
}
