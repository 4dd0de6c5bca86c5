import type pg from 'pg';
import type { ArtistCatalogue } from '../app/genres/resolveInBackground.js';

/** The history's artists (the shared catalogue table), in pages by id, for the background genre resolver. */
export function createArtistCatalogue(pool: pg.Pool): ArtistCatalogue {
  return {
    async artists(afterId, limit) {
      const { rows } = await pool.query<{
        id: string;
        name: string;
        mbid: string | null;
        recordingMbid: string | null;
      }>(
        // The MBIDs let the genre sources beyond Spotify (ListenBrainz, MusicBrainz) find name-only artists.
        `SELECT a.id, a.name, a.mbid,
           (SELECT t.mbid FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
             WHERE ta.artist_id = a.id AND t.mbid IS NOT NULL ORDER BY ta.position LIMIT 1) AS "recordingMbid"
         FROM artists a WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
        [afterId, limit],
      );
      return rows;
    },
  };
}
