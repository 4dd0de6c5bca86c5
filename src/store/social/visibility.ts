import type pg from 'pg';
import type { SocialRepository } from '../../app/social/ports.js';
import { inTransaction } from '../pool.js';

/** Who lets each server see their listening: the SQL mirror of the privacy store every server aggregate joins. */
export function createVisibilityRepository(
  pool: pg.Pool,
): Pick<SocialRepository, 'setVisible' | 'syncVisibility' | 'visibleMembers'> {
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
  };
}
