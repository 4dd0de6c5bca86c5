import type pg from 'pg';
import type { DepartureRepository } from '../../app/social/membership.js';

/** Departures and the sweep's progress (0007_guild-departures.sql). */
export function createDepartureRepository(pool: pg.Pool): DepartureRepository {
  return {
    async recordDeparture(guildId, memberId, at) {
      await pool.query(
        `INSERT INTO guild_departures (guild_id, member_id, left_at) VALUES ($1, $2, $3)
         ON CONFLICT (guild_id, member_id) DO NOTHING`,
        [guildId, memberId, new Date(at).toISOString()],
      );
    },
    async takeDeparture(guildId, memberId) {
      const { rowCount } = await pool.query(`DELETE FROM guild_departures WHERE guild_id = $1 AND member_id = $2`, [
        guildId,
        memberId,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async dueForCheck(guildId, limit) {
      const { rows } = await pool.query<{ member_id: string; departed: boolean }>(
        `WITH members AS (
           SELECT member_id, false AS departed FROM guild_visibility WHERE guild_id = $1
           UNION ALL
           SELECT member_id, true AS departed FROM guild_departures WHERE guild_id = $1)
         SELECT m.member_id, bool_or(m.departed) AS departed FROM members m
         LEFT JOIN guild_member_checks c ON c.guild_id = $1 AND c.member_id = m.member_id
         GROUP BY m.member_id, c.checked_at
         ORDER BY c.checked_at NULLS FIRST, m.member_id
         LIMIT $2`,
        [guildId, limit],
      );
      return rows.map((r) => ({ memberId: r.member_id, departed: r.departed }));
    },
    async markChecked(guildId, memberIds, at) {
      // Members no longer visible here nor departed (opted out) are no business of the sweep: forgotten.
      await pool.query(
        `DELETE FROM guild_member_checks c WHERE c.guild_id = $1
           AND NOT EXISTS (SELECT 1 FROM guild_visibility v WHERE v.guild_id = $1 AND v.member_id = c.member_id)
           AND NOT EXISTS (SELECT 1 FROM guild_departures d WHERE d.guild_id = $1 AND d.member_id = c.member_id)`,
        [guildId],
      );
      if (!memberIds.length) return;
      await pool.query(
        `INSERT INTO guild_member_checks (guild_id, member_id, checked_at)
         SELECT $1, m, $3 FROM unnest($2::text[]) AS m
         ON CONFLICT (guild_id, member_id) DO UPDATE SET checked_at = EXCLUDED.checked_at`,
        [guildId, [...new Set(memberIds)], new Date(at).toISOString()],
      );
    },
    async deleteForUser(memberId) {
      const a = await pool.query(`DELETE FROM guild_departures WHERE member_id = $1`, [memberId]);
      const b = await pool.query(`DELETE FROM guild_member_checks WHERE member_id = $1`, [memberId]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    },
  };
}
