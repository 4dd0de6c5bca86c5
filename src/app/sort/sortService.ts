import { cancelSort } from './cancelSort.js';
import { chooseGenreSource } from './chooseGenreSource.js';
import { chooseOrder } from './chooseOrder.js';
import { confirmSplit } from './confirmSplit.js';
import { previewSplitOrAsk } from './genreChoice.js';
import { orderPlaylist } from './orderPlaylist.js';
import type { SortRunner, SortService } from './ports.js';

/** /sort's use cases over one runner, complete from the start: the command never touches a store. */
export function sortServiceFrom(runner: SortRunner): SortService {
  return {
    playlistsFor: (discordUserId) => runner.playlistsFor(discordUserId),
    async previewSplit(input, onProgress) {
      const spotify = await runner.forMember(input.discordUserId);
      return previewSplitOrAsk(input, { spotify, jobs: runner.jobs, choices: runner.choices, onProgress });
    },
    async order(input, discordUserId, onProgress) {
      const spotify = await runner.forMember(discordUserId);
      return orderPlaylist(input, { spotify, jobs: runner.orderJobs, discordUserId }, onProgress);
    },
    confirmSplit: (...args) => confirmSplit(runner, ...args),
    chooseOrder: (...args) => chooseOrder(runner, ...args),
    chooseGenreSource: (...args) => chooseGenreSource(runner, ...args),
    cancel: (jobId, discordUserId) => cancelSort(runner.jobs, jobId, discordUserId),
  };
}
