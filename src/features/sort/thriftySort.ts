import { createThriftySorts, type GenreChoiceRepository, type SortJobRepository } from '../../app/sort/index.js';
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

/** Thrifty split previews (createThriftySorts) wired to MusicBrainz, the leases and Discord, with their resume job. */
export function createThriftySortsFor(options: {
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
  const { store, gateway, musicbrainz, discord, charts } = options;
  const thrifty = createThriftySorts({
    sources: backgroundGenreSources({ store, gateway, musicbrainz }),
    remainingBudget: () => gateway.budget.remaining('interactive'),
    jobs: options.jobs,
    choices: options.choices,
    leases: store.leases,
    instanceId: options.instanceId,
    log: options.log.child({ module: 'thrifty-sort' }),
    deliver: async (choice, preview) =>
      deliverBackgroundPreview(
        discord,
        choice,
        await drawnSplitPreview(preview, choice.discordUserId, charts, () => undefined),
      ),
    tellFailed: (choice) => discord.sendDm(choice.discordUserId, thriftyPreviewFailedDm(choice.source.playlist.name)),
  });
  return { ...thrifty, resumeJob: resumeThriftySortsJob(thrifty) };
}
