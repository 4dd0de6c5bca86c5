import type pg from 'pg';
import type { ArtistCatalogue } from '../app/genres/resolveInBackground.js';

/** The history's artists (the shared catalogue table), in pages by id, for the background genre resolver. */
export function createArtistCatalogue(pool: pg.Pool): ArtistCatalogue {
  return {
    async artists(afterId, limit) {
      const { rows } = await pool.query<{ id: string; name: string }>(
        'SELECT id, name FROM artists WHERE id > $1 ORDER BY id LIMIT $2',
        [afterId, limit],
      );
      return rows;
    },
  };
}
