import type pg from 'pg';
import type { SuggestHistory } from '../../app/suggest/engine.js';
import type { SuggestionFeedbackRepository, SuggestionSource } from '../../app/suggest/ports.js';
import { songKey, sourceWeightsFromLikes } from '../../core/suggest/index.js';
import type { TasteInput } from '../../core/taste/compat.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** 👎 and 👍 on suggestions (migration 0005), personal data that /unlink erases. */
export function createSuggestionFeedbackRepository(pool: pg.Pool): SuggestionFeedbackRepository {
  return {
    async dismissArtist(memberId, artistId) {
      await pool.query(
        `INSERT INTO suggestion_dismissed_artists (member_id, artist_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [memberId, artistId],
      );
    },
    async dismissedArtists(memberId) {
      const { rows } = await pool.query<{ artist_id: string }>(
        `SELECT artist_id FROM suggestion_dismissed_artists WHERE member_id = $1`,
        [memberId],
      );
      return new Set(rows.map((r) => r.artist_id));
    },
    async like(memberId, source) {
      await pool.query(
        `INSERT INTO suggestion_source_likes (member_id, source, likes) VALUES ($1, $2, 1)
         ON CONFLICT (member_id, source) DO UPDATE SET likes = suggestion_source_likes.likes + 1, updated_at = now()`,
        [memberId, source],
      );
    },
    async sourceWeights(memberId) {
      const { rows } = await pool.query<{ source: SuggestionSource; likes: number }>(
        `SELECT source, likes FROM suggestion_source_likes WHERE member_id = $1`,
        [memberId],
      );
      return sourceWeightsFromLikes(Object.fromEntries(rows.map((r) => [r.source, r.likes])));
    },
    async deleteForUser(memberId) {
      const a = await pool.query(`DELETE FROM suggestion_dismissed_artists WHERE member_id = $1`, [memberId]);
      const b = await pool.query(`DELETE FROM suggestion_source_likes WHERE member_id = $1`, [memberId]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    },
  };
}

interface TrackRow {
  track_id: string;
  name: string;
  album_name: string | null;
  artists: Array<{ id: string; name: string }> | null;
}

/** What the suggestion engine reads from the history tables (migration 0001), never past the instant it is given. */
export function createSuggestHistory(pool: pg.Pool): SuggestHistory {
  return {
    async topArtists(memberId, fromDay, toDay, limit) {
      const { rows } = await pool.query<{ id: string; name: string; plays: number }>(
        `SELECT r.artist_id AS id, a.name, sum(r.plays)::int AS plays
         FROM member_daily_artists r JOIN artists a ON a.id = r.artist_id
         WHERE r.member_id = $1 AND r.day BETWEEN $2::date AND $3::date
         GROUP BY r.artist_id, a.name ORDER BY plays DESC, r.artist_id LIMIT $4`,
        [memberId, fromDay, toDay, limit],
      );
      return rows;
    },
    async peersSharingArtists(candidates, artistIds, fromDay, toDay, limit) {
      if (!candidates.length || !artistIds.length) return [];
      // The (day, artist_id) index with member_id included answers this without touching other members' rows.
      const { rows } = await pool.query<{ member_id: string }>(
        `SELECT member_id FROM member_daily_artists
         WHERE day BETWEEN $3::date AND $4::date AND artist_id = ANY($2::text[]) AND member_id = ANY($1::text[])
         GROUP BY member_id ORDER BY sum(plays) DESC, member_id LIMIT $5`,
        [candidates, artistIds, fromDay, toDay, limit],
      );
      return rows.map((r) => r.member_id);
    },
    async tastes(memberIds, fromDay, toDay, limit) {
      const out = new Map<string, TasteInput & { artists: Array<{ id: string; name: string; plays: number }> }>();
      if (!memberIds.length) return out;
      const [artists, genres] = await Promise.all([
        pool.query<{ member_id: string; id: string; name: string; plays: number }>(
          `SELECT member_id, id, name, plays FROM (
             SELECT r.member_id, r.artist_id AS id, a.name, sum(r.plays)::int AS plays,
                    row_number() OVER (PARTITION BY r.member_id ORDER BY sum(r.plays) DESC, r.artist_id) AS n
             FROM member_daily_artists r JOIN artists a ON a.id = r.artist_id
             WHERE r.member_id = ANY($1::text[]) AND r.day BETWEEN $2::date AND $3::date
             GROUP BY r.member_id, r.artist_id, a.name) ranked
           WHERE n <= $4 ORDER BY member_id, plays DESC, id`,
          [memberIds, fromDay, toDay, limit],
        ),
        pool.query<{ member_id: string; genre: string; plays: number }>(
          `SELECT member_id, genre, sum(plays)::int AS plays FROM member_daily_genres
           WHERE member_id = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date AND genre <> 'unclassified'
           GROUP BY member_id, genre ORDER BY member_id, plays DESC, genre`,
          [memberIds, fromDay, toDay],
        ),
      ]);
      const of = (id: string) => {
        let taste = out.get(id);
        if (!taste) out.set(id, (taste = { artists: [], genres: [] }));
        return taste;
      };
      for (const r of artists.rows) of(r.member_id).artists.push({ id: r.id, name: r.name, plays: r.plays });
      for (const r of genres.rows) (of(r.member_id).genres as Array<{ genre: string; plays: number }>).push(r);
      return out;
    },
    async serverRadar(memberId, peers, from, to, limit) {
      if (!peers.length) return [];
      const { rows } = await pool.query<TrackRow & { listeners: Array<{ memberId: string; plays: number }> }>(
        `WITH peer_plays AS (
           SELECT member_id, track_id, count(*)::int AS plays FROM plays
           WHERE member_id = ANY($2::text[]) AND played_at >= $3 AND played_at < $4 AND track_id NOT LIKE 'name:%'
           GROUP BY member_id, track_id
         ), top AS (
           SELECT track_id, sum(plays)::int AS plays,
                  json_agg(json_build_object('memberId', member_id, 'plays', plays) ORDER BY plays DESC, member_id) AS listeners
           FROM peer_plays pp
           WHERE NOT EXISTS (SELECT 1 FROM plays m WHERE m.track_id = pp.track_id AND m.member_id = $1 AND m.played_at < $4)
           GROUP BY track_id ORDER BY plays DESC, track_id LIMIT $5
         )
         SELECT top.track_id, top.listeners, t.name, al.name AS album_name,
           (SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY ta.position)
            FROM track_artists ta JOIN artists a ON a.id = ta.artist_id WHERE ta.track_id = top.track_id) AS artists
         FROM top JOIN tracks t ON t.id = top.track_id LEFT JOIN albums al ON al.id = t.album_id
         ORDER BY top.plays DESC, top.track_id`,
        [memberId, peers, iso(from), iso(to), limit],
      );
      return rows.map((r) => ({
        track: {
          trackId: r.track_id,
          uri: `spotify:track:${r.track_id}`,
          name: r.name,
          artists: r.artists ?? [],
          albumName: r.album_name ?? undefined,
        },
        listeners: r.listeners,
      }));
    },
    async played(memberId, tracks, before) {
      if (!tracks.length) return { ids: new Set(), songs: new Set() };
      const [ids, songs] = await Promise.all([
        pool.query<{ track_id: string }>(
          `SELECT DISTINCT track_id FROM plays WHERE member_id = $1 AND played_at < $3 AND track_id = ANY($2::text[])`,
          [memberId, tracks.map((t) => t.id), iso(before)],
        ),
        // Songs by the same main artists (by name: an import may know a play only by names).
        pool.query<{ name: string; artist: string }>(
          `SELECT DISTINCT t.name, a.name AS artist FROM plays p
           JOIN tracks t ON t.id = p.track_id
           JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
           JOIN artists a ON a.id = ta.artist_id
           WHERE p.member_id = $1 AND p.played_at < $3 AND lower(a.name) = ANY($2::text[])`,
          [memberId, [...new Set(tracks.map((t) => t.mainArtist.toLowerCase()))], iso(before)],
        ),
      ]);
      return {
        ids: new Set(ids.rows.map((r) => r.track_id)),
        songs: new Set(songs.rows.map((r) => songKey(r.name, r.artist))),
      };
    },
    async albumPlays(memberId, albumIds, before) {
      if (!albumIds.length) return new Map();
      const { rows } = await pool.query<{ album_id: string; plays: number }>(
        `SELECT t.album_id, count(*)::int AS plays FROM plays p JOIN tracks t ON t.id = p.track_id
         WHERE p.member_id = $1 AND p.played_at < $3 AND t.album_id = ANY($2::text[]) GROUP BY t.album_id`,
        [memberId, albumIds, iso(before)],
      );
      return new Map(rows.map((r) => [r.album_id, r.plays]));
    },
  };
}
