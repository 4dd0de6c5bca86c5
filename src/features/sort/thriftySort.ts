import { resolveGenresInBackground } from '../../app/genres/resolveInBackground.js';
import {
  runThriftyPreview,
  type GenreChoiceRepository,
  type SortJobRepository,
  type SplitGenreChoice,
} from '../../app/sort/index.js';
import type { ChartRenderer } from '../../charts/index.js';
import { thriftyPreviewFailedDm } from '../../discord/messages/sortGenreMessages.js';
import { deliverBackgroundPreview, drawnSplitPreview } from '../../discord/sortPreview.js';
import { resumeThriftySortsJob } from '../../jobs/resumeThriftySorts.js';
import type { Logger } from '../../log.js';
import type { MusicBrainzClient } from '../../musicbrainz/index.js';
import type { SpotifyGateway } from '../../spotify/index.js';
import type { Store } from '../../store/index.js';
import type { DiscordPort } from '../feature.js';
import { backgroundGenreSources } from '../genres.js';

const LEASE = 'thrifty-sort';

class Stopping extends Error {}

/**
 * Thrifty split previews: MusicBrainz (one request a second, no Spotify request) finds the
 * artists' genres, then the preview edits the member's message while its token lives, else comes
 * by DM. A choice is run under a lease, so one instance works on it; a restart resumes it.
 */
export function createThriftySorts(options: {
  store: Store;
  gateway: SpotifyGateway;
  musicbrainz: MusicBrainzClient;
  charts: ChartRenderer;
  discord: DiscordPort;
  log: Logger;
  jobs: SortJobRepository;
  choices: GenreChoiceRepository;
  instanceId: string;
}) {
  const { store, gateway, discord, choices, jobs } = options;
  const log = options.log.child({ module: 'thrifty-sort' });
  const owner = `thrifty:${options.instanceId}`;
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  const sources = backgroundGenreSources({ store, gateway, musicbrainz: options.musicbrainz });

  async function run(choice: SplitGenreChoice): Promise<void> {
    const ttl = (choice.thriftyMinutes * 2 + 10) * 60_000;
    const leaseId = `${choice.discordUserId}:${choice.id}`;
    if (!(await store.leases.acquire(LEASE, leaseId, owner, ttl, Date.now()))) return;
    try {
      const preview = await runThriftyPreview(choice, {
        async resolve(artists) {
          await resolveGenresInBackground(artists, sources, {
            maxMusicBrainzArtists: Number.POSITIVE_INFINITY,
            shouldStop: () => stopping,
          });
          if (stopping) throw new Stopping();
        },
        cachedGenres: (ids) => gateway.cachedGenres(ids),
        remainingBudget: () => gateway.budget.remaining('interactive'),
        jobs,
        choices,
      });
      if (!preview) return;
      await deliverBackgroundPreview(
        discord,
        choice,
        await drawnSplitPreview(preview, choice.discordUserId, options.charts, () => undefined),
      );
    } catch (error) {
      if (error instanceof Stopping) return;
      log.warn({ err: error, choice: choice.id }, 'thrifty sort preview failed');
      await choices.save({ ...choice, status: 'failed' });
      await discord
        .sendDm(choice.discordUserId, thriftyPreviewFailedDm(choice.source.playlist.name))
        .catch(() => undefined);
    } finally {
      await store.leases.release(LEASE, leaseId, owner).catch(() => undefined);
    }
  }

  function start(choice: SplitGenreChoice): Promise<void> {
    const pending = running.get(choice.id);
    if (pending) return pending;
    const promise = run(choice).finally(() => running.delete(choice.id));
    running.set(choice.id, promise);
    return promise;
  }

  const resumeJob = resumeThriftySortsJob({ stopping: () => stopping, pending: () => choices.listThrifty(), start });

  return {
    start,
    resumeJob,
    async stop() {
      stopping = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
