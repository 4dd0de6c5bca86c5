import type pg from 'pg';
import type { ServerMonth, ServerPlaylistRecord, ServerPlaylistRepository } from '../../app/suggest/serverPlaylist.js';

interface Row {
  guild_id: string;
  owner_member_id: string;
  enabled: boolean;
  enabled_at: Date;
  playlist_id: string | null;
}

const toRecord = (r: Row): ServerPlaylistRecord => ({
  guildId: r.guild_id,
  ownerId: r.owner_member_id,
  enabled: r.enabled,
  enabledAt: r.enabled_at.getTime(),
  ...(r.playlist_id ? { playlistId: r.playlist_id } : {}),
});

/** Servers' monthly playlists in server_playlists and server_playlist_months (migration 0006). */
export function createServerPlaylistRepository(pool: pg.Pool): ServerPlaylistRepository {
  return {
    async get(guildId) {
      const { rows } = await pool.query<Row>(`SELECT * FROM server_playlists WHERE guild_id = $1`, [guildId]);
      return rows[0] && toRecord(rows[0]);
    },
    async enable(guildId, ownerId, now) {
      // Another admin's playlist lives in their account: a new owner starts a playlist of their own.
      const { rows } = await pool.query<Row>(
        `INSERT INTO server_playlists (guild_id, owner_member_id, enabled, enabled_at) VALUES ($1, $2, true, $3)
         ON CONFLICT (guild_id) DO UPDATE SET enabled = true, owner_member_id = EXCLUDED.owner_member_id,
           enabled_at = EXCLUDED.enabled_at,
           playlist_id = CASE WHEN server_playlists.owner_member_id = EXCLUDED.owner_member_id
                              THEN server_playlists.playlist_id END
         RETURNING *`,
        [guildId, ownerId, new Date(now)],
      );
      return toRecord(rows[0]!);
    },
    async disable(guildId) {
      const { rowCount } = await pool.query(
        `UPDATE server_playlists SET enabled = false WHERE guild_id = $1 AND enabled`,
        [guildId],
      );
      return (rowCount ?? 0) > 0;
    },
    async setPlaylist(guildId, playlistId) {
      await pool.query(`UPDATE server_playlists SET playlist_id = $2 WHERE guild_id = $1`, [guildId, playlistId]);
    },
    async enabledList() {
      const { rows } = await pool.query<Row>(`SELECT * FROM server_playlists WHERE enabled ORDER BY guild_id`);
      return rows.map(toRecord);
    },
    async month(guildId, month) {
      const { rows } = await pool.query<{
        month: string;
        playlist_id: string;
        tracks: number;
        members: number;
        announced: string | null;
      }>(`SELECT * FROM server_playlist_months WHERE guild_id = $1 AND month = $2`, [guildId, month]);
      const r = rows[0];
      return (
        r && {
          month: r.month,
          playlistId: r.playlist_id,
          tracks: r.tracks,
          members: r.members,
          ...(r.announced ? { announced: r.announced } : {}),
        }
      );
    },
    async recordMonth(guildId, m: ServerMonth, now) {
      const { rowCount } = await pool.query(
        `INSERT INTO server_playlist_months (guild_id, month, playlist_id, tracks, members, refreshed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [guildId, m.month, m.playlistId, m.tracks, m.members, new Date(now)],
      );
      return rowCount === 1;
    },
    async markAnnounced(guildId, month, where) {
      await pool.query(`UPDATE server_playlist_months SET announced = $3 WHERE guild_id = $1 AND month = $2`, [
        guildId,
        month,
        where,
      ]);
    },
    async topTracks(memberIds, from, to, limit) {
      // Synthetic "name:" ids (imports that knew only names) cannot go into a Spotify playlist.
      const { rows } = await pool.query<{
        track_id: string;
        name: string;
        artist_id: string;
        artist_name: string;
        plays: number;
        listeners: number;
      }>(
        `WITH top AS (
           SELECT track_id, count(*)::int AS plays, count(DISTINCT member_id)::int AS listeners FROM plays
           WHERE member_id = ANY($1::text[]) AND played_at >= $2 AND played_at < $3 AND track_id NOT LIKE 'name:%'
           GROUP BY track_id ORDER BY count(DISTINCT member_id) DESC, count(*) DESC, track_id LIMIT $4)
         SELECT top.track_id, t.name, ta.artist_id, a.name AS artist_name, top.plays, top.listeners
         FROM top JOIN tracks t ON t.id = top.track_id
         JOIN track_artists ta ON ta.track_id = top.track_id AND ta.position = 0
         JOIN artists a ON a.id = ta.artist_id
         ORDER BY top.listeners DESC, top.plays DESC, top.track_id`,
        [[...memberIds], new Date(from), new Date(to), limit],
      );
      return rows.map((r) => ({
        trackId: r.track_id,
        name: r.name,
        artistId: r.artist_id,
        artistName: r.artist_name,
        plays: r.plays,
        listeners: r.listeners,
      }));
    },
    async deleteForOwner(memberId) {
      const { rowCount } = await pool.query(`DELETE FROM server_playlists WHERE owner_member_id = $1`, [memberId]);
      return rowCount ?? 0;
    },
  };
}
