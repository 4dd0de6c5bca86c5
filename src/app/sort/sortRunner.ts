import type {
  GenreChoiceRepository,
  OrderJobRepository,
  SortJobRepository,
  SortRunner,
  SortedSourcesRepository,
  SplitGenreChoice,
} from './ports.js';
import { runOrderJob } from './runOrder.js';
import { runSplitJob } from './runSplit.js';

/**
 * The sort runner over the job stores and each member's Spotify, complete when built: every run it
 * starts is tracked, so `stop` aborts them at their next step and waits for them (resumable).
 */
export function createSortRunner(deps: {
  jobs: SortJobRepository;
  orderJobs: OrderJobRepository;
  /** The sources each member split: a first sort of a playlist then skips looking for earlier ones. */
  sorted?: SortedSourcesRepository;
  forMember: SortRunner['forMember'];
  playlistsFor: SortRunner['playlistsFor'];
  /** With MusicBrainz: the "now or thrifty" choices and the thrifty runs. */
  thrifty?: { choices: GenreChoiceRepository; start(choice: SplitGenreChoice): void };
}): SortRunner {
  const { jobs, orderJobs, forMember } = deps;
  const shutdown = new AbortController();
  const runs = new Set<Promise<unknown>>();
  const track = <T>(outcome: Promise<T>) => {
    runs.add(outcome);
    void outcome.catch(() => undefined).finally(() => runs.delete(outcome));
    return outcome;
  };
  return {
    jobs,
    orderJobs,
    sorted: deps.sorted,
    choices: deps.thrifty?.choices,
    startThrifty: deps.thrifty?.start,
    forMember,
    playlistsFor: deps.playlistsFor,
    async run(job, accept, run) {
      if (shutdown.signal.aborted) return { kind: 'busy', job };
      return track(
        (async () =>
          runSplitJob(
            job.id,
            {
              spotify: await forMember(job.discordUserId, run.priority),
              jobs,
              job,
              sorted: deps.sorted,
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
  };
}
