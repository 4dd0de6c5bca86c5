import { resolveGenresInBackground, type BackgroundGenreSources } from '../genres/resolveInBackground.js';
import { runThriftyPreview } from './genreChoice.js';
import type {
  GenreChoiceRepository,
  SortJobRepository,
  SortLog,
  SplitGenreChoice,
  SplitPreview,
  WorkLeases,
} from './ports.js';

const LEASE = 'thrifty-sort';

class Stopping extends Error {}

export interface ThriftySortDeps {
  /** The background resolver's sources without Spotify: a thrifty sort never sends a Spotify request. */
  sources: BackgroundGenreSources;
  /** Requests today's interactive budget still allows (read only, for the preview). */
  remainingBudget(): Promise<number>;
  jobs: SortJobRepository;
  choices: GenreChoiceRepository;
  leases: WorkLeases;
  /** Who this instance is, as a lease owner. */
  instanceId: string;
  /** Shows the member their preview: on the message they wait on while its token lives, else by DM. */
  deliver(choice: SplitGenreChoice, preview: SplitPreview): Promise<void>;
  /** Tells the member their thrifty preview failed. */
  tellFailed(choice: SplitGenreChoice): Promise<unknown>;
  log: SortLog;
  now?: () => number;
}

/**
 * Thrifty split previews: MusicBrainz (one request a second, no Spotify request) finds the
 * artists' genres, then the preview reaches the member (`deliver`). A choice is run under a lease,
 * so one instance works on it; a restart resumes it (`pending` for the resume job).
 */
export function createThriftySorts(deps: ThriftySortDeps) {
  const { choices, jobs, log } = deps;
  const now = deps.now ?? Date.now;
  const owner = `thrifty:${deps.instanceId}`;
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  async function run(choice: SplitGenreChoice): Promise<void> {
    const ttl = (choice.thriftyMinutes * 2 + 10) * 60_000;
    const leaseId = `${choice.discordUserId}:${choice.id}`;
    if (!(await deps.leases.acquire(LEASE, leaseId, owner, ttl, now()))) return;
    try {
      const preview = await runThriftyPreview(choice, {
        async resolve(artists) {
          await resolveGenresInBackground(artists, deps.sources, {
            maxMusicBrainzArtists: Number.POSITIVE_INFINITY,
            shouldStop: () => stopping,
          });
          if (stopping) throw new Stopping();
        },
        cachedGenres: (ids) => deps.sources.cached(ids),
        remainingBudget: deps.remainingBudget,
        jobs,
        choices,
        now: deps.now,
      });
      if (!preview) return;
      await deps.deliver(choice, preview);
    } catch (error) {
      if (error instanceof Stopping) return;
      log.warn({ err: error, choice: choice.id }, 'thrifty sort preview failed');
      await choices.save({ ...choice, status: 'failed' });
      await deps.tellFailed(choice).catch(() => undefined);
    } finally {
      await deps.leases.release(LEASE, leaseId, owner).catch(() => undefined);
    }
  }

  function start(choice: SplitGenreChoice): Promise<void> {
    const pending = running.get(choice.id);
    if (pending) return pending;
    const promise = run(choice).finally(() => running.delete(choice.id));
    running.set(choice.id, promise);
    return promise;
  }

  return {
    start,
    stopping: () => stopping,
    /** Choices that went thrifty and have no preview yet. */
    pending: () => choices.listThrifty(),
    async stop() {
      stopping = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
