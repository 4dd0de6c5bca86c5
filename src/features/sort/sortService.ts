import {
  createSortRunner,
  type GenreChoiceRepository,
  type OrderJobRepository,
  type SortJobRepository,
  type SortRunner,
  type SortedSourcesRepository,
  type SplitGenreChoice,
} from '../../app/sort/index.js';
import type { MusicBrainzClient } from '../../musicbrainz/index.js';
import type { SpotifyGateway } from '../../spotify/index.js';
import { createSortMemberCache } from '../../spotify/sortMemberCache.js';
import { sortSpotifyFor } from '../../spotify/sortSpotify.js';
import type { Accounts } from '../feature.js';
import { genreSourcesFor } from '../genres.js';

/** Sorting wired to the gateway, the linked accounts and the job stores, complete when built. */
export function createSortRunnerFor(options: {
  gateway: SpotifyGateway;
  accounts: Accounts;
  musicbrainz?: MusicBrainzClient;
  jobs: SortJobRepository;
  orderJobs: OrderJobRepository;
  sorted?: SortedSourcesRepository;
  /** With MusicBrainz: the "now or thrifty" choices and the thrifty runs. */
  thrifty?: { choices: GenreChoiceRepository; start(choice: SplitGenreChoice): void };
}): SortRunner {
  const { gateway, accounts, musicbrainz } = options;
  const members = createSortMemberCache();
  return createSortRunner({
    jobs: options.jobs,
    orderJobs: options.orderJobs,
    sorted: options.sorted,
    thrifty: options.thrifty,
    async forMember(discordUserId, priority = 'interactive') {
      const client = await accounts.spotifyFor(discordUserId, priority);
      const sources = genreSourcesFor(client, gateway, musicbrainz);
      return sortSpotifyFor(client, gateway, members.meId(discordUserId, client), sources);
    },
    playlistsFor: (discordUserId) => members.playlistsFor(discordUserId, () => accounts.spotifyFor(discordUserId)),
  });
}
