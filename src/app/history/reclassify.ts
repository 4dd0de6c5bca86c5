import { rollupGenre } from '../../core/history/index.js';
import type { CollectorDeps } from './ports.js';

/**
 * Lets the genre rollups catch up with the shared genre cache. The collector counts a play whose
 * artists' genres are not cached yet as "unclassified" rather than spend a Spotify request; once
 * other work (a /sort, the warm-up, MusicBrainz) has taught the cache those artists, the member's
 * per-genre rollups are recounted from their plays. Costs no Spotify request.
 */
export async function reclassifyHistory(
  deps: Pick<CollectorDeps, 'repo' | 'activeMembers' | 'cachedGenres'>,
): Promise<{ members: number; plays: number }> {
  const members = await deps.repo.unclassifiedMembers(await deps.activeMembers());
  let plays = 0;
  for (const memberId of members) {
    plays += await deps.repo.rebuildGenreRollups(memberId, async (artistIds) => {
      const genres = await deps.cachedGenres(artistIds);
      return (trackArtists) => rollupGenre(trackArtists.map((id) => genres.get(id)));
    });
  }
  return { members: members.length, plays };
}
