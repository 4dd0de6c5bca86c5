import type pg from 'pg';
import type { SuggestAnswer, SuggestAnswerRepository } from '../../app/suggest/answers.js';
import type { Suggestion } from '../../app/suggest/ports.js';

interface Row {
  id: string;
  member_id: string;
  guild_id: string | null;
  created_at: Date;
  suggestions: Suggestion[];
  liked: number[];
  dismissed: number[];
  save_started_at: Date | null;
  playlist_id: string | null;
  saved_at: Date | null;
}

const toAnswer = (r: Row): SuggestAnswer => ({
  id: r.id,
  memberId: r.member_id,
  ...(r.guild_id ? { guildId: r.guild_id } : {}),
  createdAt: r.created_at.getTime(),
  suggestions: r.suggestions,
  liked: r.liked,
  dismissed: r.dismissed,
  ...(r.save_started_at ? { saveStartedAt: r.save_started_at.getTime() } : {}),
  ...(r.playlist_id ? { playlistId: r.playlist_id } : {}),
  ...(r.saved_at ? { savedAt: r.saved_at.getTime() } : {}),
});

/** /suggest's answers in suggest_answers (migration 0006). */
export function createSuggestAnswerRepository(pool: pg.Pool): SuggestAnswerRepository {
  return {
    async create(a) {
      await pool.query(
        `INSERT INTO suggest_answers (id, member_id, guild_id, created_at, suggestions) VALUES ($1, $2, $3, $4, $5)`,
        [a.id, a.memberId, a.guildId ?? null, new Date(a.createdAt), JSON.stringify(a.suggestions)],
      );
    },
    async get(id) {
      const { rows } = await pool.query<Row>(`SELECT * FROM suggest_answers WHERE id = $1`, [id]);
      return rows[0] && toAnswer(rows[0]);
    },
    async mark(id, kind, positions) {
      const column = kind === 'liked' ? 'liked' : 'dismissed';
      // One statement: two clicks at once both land, each position once.
      const { rows } = await pool.query<Row>(
        `UPDATE suggest_answers SET ${column} = ARRAY(
           SELECT DISTINCT p FROM unnest(${column} || $2::int[]) AS p ORDER BY p)
         WHERE id = $1 RETURNING *`,
        [id, [...positions]],
      );
      return rows[0] && toAnswer(rows[0]);
    },
    async saveStarted(id, now) {
      await pool.query(`UPDATE suggest_answers SET save_started_at = $2 WHERE id = $1`, [id, new Date(now)]);
    },
    async savePlaylist(id, playlistId) {
      await pool.query(`UPDATE suggest_answers SET playlist_id = $2 WHERE id = $1`, [id, playlistId]);
    },
    async saveFinished(id, now) {
      await pool.query(`UPDATE suggest_answers SET saved_at = $2 WHERE id = $1`, [id, new Date(now)]);
    },
    async prune(before) {
      const { rowCount } = await pool.query(`DELETE FROM suggest_answers WHERE created_at < $1`, [new Date(before)]);
      return rowCount ?? 0;
    },
    async deleteForUser(memberId) {
      const { rowCount } = await pool.query(`DELETE FROM suggest_answers WHERE member_id = $1`, [memberId]);
      // Other members' answers whose reasons name this member ("bob and carol played it") go too.
      await pool.query(
        `DELETE FROM suggest_answers WHERE suggestions @> jsonb_build_array(jsonb_build_object('reason',
           jsonb_build_object('listeners', jsonb_build_array(jsonb_build_object('memberId', $1::text)))))`,
        [memberId],
      );
      return rowCount ?? 0;
    },
  };
}
