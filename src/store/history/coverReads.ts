import type pg from 'pg';
import type { CoverGridReader, CoverRef } from '../../app/charts/coverGrid.js';

const iso = (ms: number) => new Date(ms).toISOString();
const cover = (url: string | null, mbid: string | null): CoverRef => ({
  ...(url ? { url } : {}),
  ...(mbid ? { mbid } : {}),
});

/** What the /chart cover grids read: a member's top albums, and a cover for each of their top artists. */
export function createCoverReads(pool: pg.Pool): CoverGridReader {
  return {
    async topAlbums(memberId, from, to, limit) {
      const { rows } = await pool.query<{
        album_id: string;
        name: string;
        image_url: string | null;
        mbid: string | null;
        artist: string | null;
        plays: number;
        ms: string;
      }>(
        `WITH top AS (
           SELECT t.album_id, count(*)::int AS plays, coalesce(sum(p.ms_played), 0)::text AS ms,
                  mode() WITHIN GROUP (ORDER BY ta.artist_id) AS artist_id
           FROM plays p JOIN tracks t ON t.id = p.track_id
           LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
           WHERE p.member_id = $1 AND p.played_at >= $2 AND p.played_at <= $3 AND t.album_id IS NOT NULL
           GROUP BY t.album_id
         )
         SELECT top.album_id, al.name, al.image_url, al.mbid, a.name AS artist, top.plays, top.ms
         FROM top JOIN albums al ON al.id = top.album_id LEFT JOIN artists a ON a.id = top.artist_id
         WHERE al.name <> ''
         ORDER BY top.plays DESC, top.ms::bigint DESC, top.album_id LIMIT $4`,
        [memberId, iso(from), iso(to), limit],
      );
      return rows.map((r) => ({
        albumId: r.album_id,
        name: r.name,
        ...(r.artist ? { artist: r.artist } : {}),
        plays: r.plays,
        ms: Number(r.ms),
        cover: cover(r.image_url, r.mbid),
      }));
    },
    async artistCovers(memberId, artistIds, from, to) {
      if (!artistIds.length) return new Map();
      // The artist's own image first; else, over the period, the album of theirs played most that has a cover.
      const { rows } = await pool.query<{ artist_id: string; image_url: string | null; mbid: string | null }>(
        `WITH own AS (
           SELECT id AS artist_id, image_url, NULL::text AS mbid, 0 AS rank, 0::bigint AS n FROM artists
           WHERE id = ANY($2::text[]) AND image_url IS NOT NULL
         ), albums_played AS (
           SELECT ta.artist_id, al.image_url, al.mbid, 1 AS rank, count(*) AS n
           FROM plays p JOIN tracks t ON t.id = p.track_id
           JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
           JOIN albums al ON al.id = t.album_id
           WHERE p.member_id = $1 AND p.played_at >= $3 AND p.played_at <= $4 AND ta.artist_id = ANY($2::text[])
             AND (al.image_url IS NOT NULL OR al.mbid IS NOT NULL)
           GROUP BY ta.artist_id, al.id
         )
         SELECT DISTINCT ON (artist_id) artist_id, image_url, mbid
         FROM (SELECT * FROM own UNION ALL SELECT * FROM albums_played) c
         ORDER BY artist_id, rank, n DESC, image_url`,
        [memberId, [...artistIds], iso(from), iso(to)],
      );
      return new Map(rows.map((r) => [r.artist_id, cover(r.image_url, r.mbid)]));
    },
  };
}
