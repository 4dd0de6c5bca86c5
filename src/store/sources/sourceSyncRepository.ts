import type pg from 'pg';
import type { SourceFailure, SourceKind } from '../../app/sources/ports.js';
import type { SourceSyncRecord, SourceSyncRepository } from '../../app/sources/syncPorts.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

interface SyncRow {
  member_id: string;
  source: SourceKind;
  user_name: string;
  backfill_before_ms: string | null;
  backfill_done: boolean;
  listens_read: string;
  listens_total: string | null;
  cursor_ms: string | null;
  next_poll_at: Date;
  failures: number;
  status: SourceSyncRecord['status'];
  last_failure: SourceFailure | null;
  backfill_started_at: Date | null;
  pages: number;
  progress_at: Date | null;
  progress_read: string | null;
  progress_pages: number | null;
}

const num = (v: string | null) => (v === null ? undefined : Number(v));
const ms = (v: Date | null) => (v === null ? undefined : v.getTime());
const iso = (v: number | undefined) => (v === undefined ? null : new Date(v).toISOString());

const toRecord = (r: SyncRow): SourceSyncRecord => ({
  memberId: r.member_id,
  source: r.source,
  userName: r.user_name,
  backfillBefore: num(r.backfill_before_ms),
  backfillDone: r.backfill_done,
  read: Number(r.listens_read),
  total: num(r.listens_total),
  cursor: num(r.cursor_ms),
  nextPollAt: r.next_poll_at.getTime(),
  failures: r.failures,
  status: r.status,
  lastFailure: r.last_failure ?? undefined,
  backfillStartedAt: ms(r.backfill_started_at),
  pages: r.pages,
  progressAt: ms(r.progress_at),
  progressRead: num(r.progress_read),
  progressPages: r.progress_pages ?? undefined,
});

/**
 * The sync state that goes with a new or renewed link, inside the link's transaction. Connecting
 * again to the same account keeps the progress and resumes at once (the member fixed a private
 * profile); another account starts over from its newest listen.
 */
export async function resetSyncOnLink(
  db: Queryable,
  memberId: string,
  source: SourceKind,
  userName: string,
  sameAccount: boolean,
  now: number,
): Promise<void> {
  if (sameAccount) {
    await db.query(
      `UPDATE source_sync SET user_name = $3, status = 'ok', failures = 0, last_failure = NULL, next_poll_at = $4
       WHERE member_id = $1 AND source = $2`,
      [memberId, source, userName, iso(now)],
    );
    return;
  }
  await db.query(
    `INSERT INTO source_sync (member_id, source, user_name, next_poll_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id, source) DO UPDATE SET user_name = $3, next_poll_at = $4, backfill_before_ms = NULL,
       backfill_done = FALSE, listens_read = 0, listens_total = NULL, cursor_ms = NULL, failures = 0, status = 'ok',
       last_failure = NULL, backfill_started_at = NULL, pages = 0, progress_at = NULL, progress_read = NULL,
       progress_pages = NULL`,
    [memberId, source, userName, iso(now)],
  );
}

export function createSourceSyncRepository(pool: pg.Pool): SourceSyncRepository {
  return {
    async due(sources, now) {
      if (!sources.length) return [];
      const { rows } = await pool.query<SyncRow>(
        `SELECT * FROM source_sync WHERE status = 'ok' AND next_poll_at <= $1 AND source = ANY($2::text[])
         ORDER BY next_poll_at, member_id, source`,
        [iso(now), sources],
      );
      return rows.map(toRecord);
    },
    async get(memberId, source) {
      const { rows } = await pool.query<SyncRow>(`SELECT * FROM source_sync WHERE member_id = $1 AND source = $2`, [
        memberId,
        source,
      ]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
    async save(s) {
      const { rowCount } = await pool.query(
        `UPDATE source_sync SET backfill_before_ms = $4, backfill_done = $5, listens_read = $6, listens_total = $7,
           cursor_ms = $8, next_poll_at = $9, failures = $10, status = $11, last_failure = $12,
           backfill_started_at = $13, pages = $14, progress_at = $15, progress_read = $16, progress_pages = $17
         WHERE member_id = $1 AND source = $2 AND user_name = $3`,
        [
          s.memberId,
          s.source,
          s.userName,
          s.backfillBefore ?? null,
          s.backfillDone,
          s.read,
          s.total ?? null,
          s.cursor ?? null,
          iso(s.nextPollAt),
          s.failures,
          s.status,
          s.lastFailure ?? null,
          iso(s.backfillStartedAt),
          s.pages,
          iso(s.progressAt),
          s.progressRead ?? null,
          s.progressPages ?? null,
        ],
      );
      return rowCount === 1;
    },
    async deferSource(source, until, failure) {
      const { rowCount } = await pool.query(
        `UPDATE source_sync SET next_poll_at = GREATEST(next_poll_at, $2), last_failure = $3
         WHERE source = $1 AND status = 'ok'`,
        [source, iso(until), failure],
      );
      return rowCount ?? 0;
    },
  };
}
