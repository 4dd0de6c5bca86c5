import { runOrderJob, runSplitJob, type OrderRunOutcome, type RunOutcome } from '../../app/sort/index.js';
import type { SortService } from '../../app/sort/index.js';
import type { MusicBrainzClient } from '../../musicbrainz/index.js';
import type { SpotifyGateway } from '../../spotify/index.js';
import { createOrderJobRepository, createSortJobRepository } from '../../store/sortJobs.js';
import type { Store } from '../../store/index.js';
import type { Accounts } from '../linking/accounts.js';
import { sortSpotifyFor } from './sortSpotify.js';

const PLAYLIST_CACHE_MS = 5 * 60_000;

/** Sorting wired to the gateway, the linked accounts and the job store. */
export function createSortService(options: {
  store: Store;
  gateway: SpotifyGateway;
  accounts: Accounts;
  musicbrainz?: MusicBrainzClient;
}): SortService {
  const spotifyIds = new Map<string, string>();
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
    let id = spotifyIds.get(discordUserId);
    if (!id) spotifyIds.set(discordUserId, (id = (await client.me()).id));
    return id;
  };
  const jobs = createSortJobRepository(options.store);
  const orderJobs = createOrderJobRepository(options.store);
  const forMember: SortService['forMember'] = async (discordUserId, priority = 'interactive') => {
    const client = await options.accounts.spotifyFor(discordUserId, priority);
    return sortSpotifyFor(client, options.gateway, meId(discordUserId, client), options.musicbrainz);
  };
  return {
    jobs,
    orderJobs,
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
      playlistCache.set(discordUserId, { at: Date.now(), playlists });
      return playlists;
    },
  };
}
