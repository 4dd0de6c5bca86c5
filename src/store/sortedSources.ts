import type { SortedSourcesRepository } from '../app/sort/ports.js';
import { KEYV_TABLE } from './schema.js';
import type { Store } from './index.js';

const NAMESPACE = 'sort-sorted-sources';

/**
 * The sources each member split, in keyv without expiry: one key per member and source (so two
 * sorts at once never overwrite each other's mark) and one per member once a read of their
 * playlists made the record complete.
 */
export function createSortedSourcesRepository(store: Store): SortedSourcesRepository {
  const marks = store.namespace<true>(NAMESPACE);
  const markKey = (member: string, source: string) => `${member}:${source}`;
  return {
    async lookup(discordUserId, sourcePlaylistId) {
      const [known, sorted] = await marks.getMany([discordUserId, markKey(discordUserId, sourcePlaylistId)]);
      return { known: known === true, sorted: sorted === true };
    },
    async mark(discordUserId, sourcePlaylistId) {
      await marks.set(markKey(discordUserId, sourcePlaylistId), true);
    },
    async seed(discordUserId, sourcePlaylistIds) {
      // The sources first: a record that says complete always holds them.
      if (sourcePlaylistIds.length)
        await marks.setMany(sourcePlaylistIds.map((s) => ({ key: markKey(discordUserId, s), value: true as const })));
      await marks.set(discordUserId, true);
    },
    async deleteForUser(discordUserId) {
      const own = `${NAMESPACE}:${discordUserId}`;
      const like = `${own.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`;
      const { rowCount } = await store.pool.query(`DELETE FROM ${KEYV_TABLE} WHERE key = $1 OR key LIKE $2`, [
        own,
        like,
      ]);
      return rowCount ?? 0;
    },
  };
}
