import type { GenreChoiceRepository, SplitGenreChoice } from '../app/sort/index.js';
import type { Store } from './index.js';

/** A choice is kept two days: long enough for a thrifty preview to finish after restarts, then it goes. */
const TTL_MS = 2 * 24 * 3_600_000;

/** Large splits' "now or thrifty" choices, in a keyv namespace (the playlist read is kept with them). */
export function createGenreChoiceRepository(store: Store): GenreChoiceRepository {
  const choices = store.namespace<SplitGenreChoice>('sort-genre-choices');
  const all = async () => {
    const out: SplitGenreChoice[] = [];
    for await (const [, value] of choices.iterator!(undefined)) if (value) out.push(value as SplitGenreChoice);
    return out;
  };
  return {
    get: (id) => choices.get(id),
    async save(choice) {
      // Once answered for good, the playlist read (up to 10,000 items) is not needed any more.
      const settled = choice.status === 'done' || choice.status === 'cancelled' || choice.status === 'failed';
      await choices.set(choice.id, settled ? { ...choice, source: { ...choice.source, items: [] } } : choice, TTL_MS);
    },
    async listThrifty() {
      return (await all()).filter((c) => c.status === 'thrifty');
    },
    async deleteForUser(discordUserId) {
      const mine = (await all()).filter((c) => c.discordUserId === discordUserId);
      for (const c of mine) await choices.delete(c.id);
      return mine.length;
    },
  };
}
