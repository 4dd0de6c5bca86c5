import type pg from 'pg';
import type { SourceKind, SourceLink, SourceLinksRepository } from '../../app/sources/ports.js';
import { inTransaction } from '../pool.js';
import { resetSyncOnLink } from './sourceSyncRepository.js';

interface LinkRow {
  member_id: string;
  source: SourceKind;
  user_name: string;
  linked_at: Date;
}
const toLink = (r: LinkRow): SourceLink => ({
  memberId: r.member_id,
  source: r.source,
  userName: r.user_name,
  linkedAt: r.linked_at.getTime(),
});

/** Postgres's unique_violation, raised here only by source_links_account: another member holds the account. */
const isAccountTaken = (error: unknown) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'source_links_account';

/** Members' ListenBrainz and Last.fm accounts (source_links), each with its sync state created alongside. */
export function createSourceLinksRepository(pool: pg.Pool): SourceLinksRepository {
  return {
    async link(memberId, source, userName, now) {
      try {
        return await inTransaction(pool, async (db) => {
          const { rows } = await db.query<{ user_name: string }>(
            `SELECT user_name FROM source_links WHERE member_id = $1 AND source = $2 FOR UPDATE`,
            [memberId, source],
          );
          const previous = rows[0]?.user_name;
          // The unique index on (source, lower(user_name)) decides between two members racing for one account.
          await db.query(
            `INSERT INTO source_links (member_id, source, user_name, linked_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (member_id, source) DO UPDATE SET user_name = $3, linked_at = $4`,
            [memberId, source, userName, new Date(now).toISOString()],
          );
          const same = previous !== undefined && previous.toLowerCase() === userName.toLowerCase();
          await resetSyncOnLink(db, memberId, source, userName, same, now);
          return 'linked' as const;
        });
      } catch (error) {
        if (isAccountTaken(error)) return 'taken';
        throw error;
      }
    },
    async linksOf(memberId) {
      const { rows } = await pool.query<LinkRow>(
        `SELECT * FROM source_links WHERE member_id = $1 ORDER BY source, user_name`,
        [memberId],
      );
      return rows.map(toLink);
    },
    async allLinks() {
      const { rows } = await pool.query<LinkRow>(`SELECT * FROM source_links ORDER BY member_id, source`);
      return rows.map(toLink);
    },
    async unlink(memberId, source) {
      // The sync state goes with the link (ON DELETE CASCADE).
      const { rowCount } = await pool.query(
        `DELETE FROM source_links WHERE member_id = $1 AND ($2::text IS NULL OR source = $2)`,
        [memberId, source ?? null],
      );
      return rowCount ?? 0;
    },
  };
}
