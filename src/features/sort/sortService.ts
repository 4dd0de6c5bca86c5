import { runOrderJob, runSplitJob, type OrderRunOutcome, type RunOutcome } from '../../app/sort/index.js';
import type {
  GenreChoiceRepository,
  OrderJobRepository,
  SortJobRepository,
  SortRunner,
  SplitGenreChoice,
} from '../../app/sort/index.js';
import type { MusicBrainzClient } from '../../musicbrainz/index.js';
import type { SpotifyGateway } from '../../spotify/index.js';
import type { Accounts } from '../feature.js';
import { sortSpotifyFor } from './sortSpotify.js';

const PLAYLIST_CACHE_MS = 5 * 60_000;
/** A member relinked to another Spotify account must not keep the old account's id for long. */
const SPOTIFY_ID_CACHE_MS = 60 * 60_000;
/** Members remembered in memory at once, newest kept: the caches must not grow with every member ever seen. */
const CACHED_MEMBERS = 1_000;

/** Sets `key` as the newest entry and forgets the oldest beyond CACHED_MEMBERS. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > CACHED_MEMBERS) cache.delete(cache.keys().next().value!);
}

/** Sorting wired to the gateway, the linked accounts and the job stores, complete when built. */
export function createSortRunner(options: {
  gateway: SpotifyGateway;
  accounts: Accounts;
  musicbrainz?: MusicBrainzClient;
  jobs: SortJobRepository;
  orderJobs: OrderJobRepository;
  /** With MusicBrainz: the "now or thrifty" choices and the thrifty runs. */
  thrifty?: { choices: GenreChoiceRepository; start(choice: SplitGenreChoice): void };
}): SortRunner {
  const spotifyIds = new Map<string, { at: number; id: string }>();
  const playlistCache = new Map<
    string,
    { at: number; playlists: Array<{ id: string; name: string; total: number }> }
  >();
  const shutdown = new AbortController();
  const runs = new Set<Promise<RunOutcome | OrderRunOutcome>>();
  const track = <T extends RunOutcome | OrderRunOutcome>(outcome: Promise<T>) => {
    runs.add(outcome);
    void outcome.catch(() => undefined).finally(() => runs.delete(outcome));
    return outcome;
  };
  const meId = (discordUserId: string, client: Awaited<ReturnType<Accounts['spotifyFor']>>) => async () => {
    const known = spotifyIds.get(discordUserId);
    if (known && Date.now() - known.at < SPOTIFY_ID_CACHE_MS) return known.id;
    const id = (await client.me()).id;
    remember(spotifyIds, discordUserId, { at: Date.now(), id });
    return id;
  };
  const { jobs, orderJobs } = options;
  const forMember: SortRunner['forMember'] = async (discordUserId, priority = 'interactive') => {
    const client = await options.accounts.spotifyFor(discordUserId, priority);
    return sortSpotifyFor(client, options.gateway, meId(discordUserId, client), options.musicbrainz);
  };
  return {
    jobs,
    orderJobs,
    choices: options.thrifty?.choices,
    startThrifty: options.thrifty?.start,
    forMember,
    async run(job, accept, run) {
      if (shutdown.signal.aborted) return { kind: 'busy', job };
      return track(
        (async () =>
          runSplitJob(
            job.id,
            {
              spotify: await forMember(job.discordUserId, run.priority),
              jobs,
              signal: shutdown.signal,
              onProgress: run.onProgress,
              reply: run.reply,
              now: run.now,
            },
            accept,
          ))(),
      );
    },
    async runOrder(job, accept, run) {
      if (shutdown.signal.aborted) return { kind: 'busy', job };
      return track(
        (async () =>
          runOrderJob(
            job.id,
            {
              spotify: await forMember(job.discordUserId, run.priority),
              jobs: orderJobs,
              signal: shutdown.signal,
              reply: run.reply,
              now: run.now,
              onProgress: run.onOrderProgress,
            },
            accept,
          ))(),
      );
    },
    async stop() {
      shutdown.abort();
      await Promise.allSettled([...runs]);
    },
    async playlistsFor(discordUserId) {
      const cached = playlistCache.get(discordUserId);
      if (cached && Date.now() - cached.at < PLAYLIST_CACHE_MS) return cached.playlists;
      const client = await options.accounts.spotifyFor(discordUserId);
      const me = await meId(discordUserId, client)();
      const playlists = (await client.myPlaylists())
        .filter((p) => p.owner.id === me || p.collaborative)
        .map((p) => ({ id: p.id, name: p.name, total: p.items?.total ?? p.tracks?.total ?? 0 }));
      remember(playlistCache, discordUserId, { at: Date.now(), playlists });
      return playlists;
    },
  };
}
