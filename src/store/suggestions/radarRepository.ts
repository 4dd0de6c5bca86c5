import type pg from 'pg';
import type { RadarRecord, RadarRepository } from '../../app/suggest/radar.js';

interface Row {
  member_id: string;
  guild_id: string | null;
  enabled: boolean;
  enabled_at: Date;
  playlist_id: string | null;
  track_uris: string[];
  last_refreshed_week: string | null;
  refreshed_at: Date | null;
}

const toRecord = (r: Row): RadarRecord => ({
  memberId: r.member_id,
  ...(r.guild_id ? { guildId: r.guild_id } : {}),
  enabled: r.enabled,
  enabledAt: r.enabled_at.getTime(),
  ...(r.playlist_id ? { playlistId: r.playlist_id } : {}),
  trackUris: r.track_uris,
  ...(r.last_refreshed_week ? { lastRefreshedWeek: r.last_refreshed_week } : {}),
  ...(r.refreshed_at ? { refreshedAt: r.refreshed_at.getTime() } : {}),
});

// DATE as text: node-postgres would turn it into a local-midnight Date.
const COLUMNS = `member_id, guild_id, enabled, enabled_at, playlist_id, track_uris,
  to_char(last_refreshed_week, 'YYYY-MM-DD') AS last_refreshed_week, refreshed_at`;

/** Members' weekly radars in radar_playlists (migration 0006). */
export function createRadarRepository(pool: pg.Pool): RadarRepository {
  const get = async (memberId: string) => {
    const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM radar_playlists WHERE member_id = $1`, [memberId]);
    return rows[0] && toRecord(rows[0]);
  };
  return {
    get,
    async enable(memberId, guildId, now) {
      const { rows } = await pool.query<Row>(
        `INSERT INTO radar_playlists (member_id, guild_id, enabled, enabled_at) VALUES ($1, $2, true, $3)
         ON CONFLICT (member_id) DO UPDATE SET enabled = true, guild_id = COALESCE(EXCLUDED.guild_id, radar_playlists.guild_id),
           enabled_at = CASE WHEN radar_playlists.enabled THEN radar_playlists.enabled_at ELSE EXCLUDED.enabled_at END
         RETURNING ${COLUMNS}`,
        [memberId, guildId ?? null, new Date(now)],
      );
      return toRecord(rows[0]!);
    },
    async disable(memberId) {
      const { rowCount } = await pool.query(
        `UPDATE radar_playlists SET enabled = false WHERE member_id = $1 AND enabled`,
        [memberId],
      );
      return (rowCount ?? 0) > 0;
    },
    async setPlaylist(memberId, playlistId) {
      await pool.query(`UPDATE radar_playlists SET playlist_id = $2 WHERE member_id = $1`, [memberId, playlistId]);
    },
    async recordWeek(memberId, week, uris, now) {
      const { rowCount } = await pool.query(
        `UPDATE radar_playlists SET last_refreshed_week = $2::date, track_uris = $3, refreshed_at = $4
         WHERE member_id = $1 AND (last_refreshed_week IS NULL OR last_refreshed_week < $2::date)`,
        [memberId, week, [...uris], new Date(now)],
      );
      return rowCount === 1;
    },
    async due(week) {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM radar_playlists
         WHERE enabled AND (last_refreshed_week IS NULL OR last_refreshed_week < $1::date) ORDER BY member_id`,
        [week],
      );
      return rows.map(toRecord);
    },
    async deleteForUser(memberId) {
      const { rowCount } = await pool.query(`DELETE FROM radar_playlists WHERE member_id = $1`, [memberId]);
      return rowCount ?? 0;
    },
  };
}
