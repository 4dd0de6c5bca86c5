import type pg from 'pg';
import type { MemberSettingsRepository } from '../../app/charts/ports.js';

/** Members' settings in the member_settings table (migration 0002). */
export function createMemberSettingsRepository(pool: pg.Pool): MemberSettingsRepository {
  return {
    async timeZoneOf(memberId) {
      const { rows } = await pool.query<{ timezone: string }>(
        `SELECT timezone FROM member_settings WHERE member_id = $1`,
        [memberId],
      );
      return rows[0]?.timezone;
    },
    async setTimeZone(memberId, timeZone) {
      await pool.query(
        `INSERT INTO member_settings (member_id, timezone) VALUES ($1, $2)
         ON CONFLICT (member_id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = now()`,
        [memberId, timeZone],
      );
    },
    async deleteForUser(memberId) {
      const { rowCount } = await pool.query(`DELETE FROM member_settings WHERE member_id = $1`, [memberId]);
      return (rowCount ?? 0) > 0;
    },
  };
}
