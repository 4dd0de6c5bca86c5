import { randomBytes } from 'node:crypto';
import type { AnswerDeps, PlaylistsFor } from '../../app/suggest/answers.js';
import type { SuggestService } from '../../app/suggest/ports.js';
import type { RadarDeps } from '../../app/suggest/radar.js';
import type { SuggestionsDeps } from '../../app/suggest/ports.js';
import { digestNonce } from '../../core/digest/index.js';
import { digestDiscord } from '../../discord/digestChannels.js';
import { radarRefreshedMessage } from '../../discord/messages/suggestMessage.js';
import { refreshRadarsJob, refreshServerPlaylistsJob } from '../../jobs/suggestJobs.js';
import { memberPlaylists } from '../../spotify/memberPlaylists.js';
import { createSuggestAnswerRepository } from '../../store/suggestions/answerRepository.js';
import { createRadarRepository } from '../../store/suggestions/radarRepository.js';
import { accountsOf, type FeatureContext, type FeatureFactory } from '../feature.js';
import { createSuggestEngines } from './engine.js';
import { memberGenresOf, stillInOf } from './members.js';
import { suggestPersonalData } from './personalData.js';
import { serverPlaylistDeps } from './serverPlaylist.js';

/**
 * Suggestions (issue 16): the engine, /suggest's answers and their buttons, the weekly Encore Radar
 * and the monthly "Sounds of <server>", the two jobs that refresh them, and the personal data
 * /unlink erases (feedback, answers, radar, the server playlists in the member's account).
 */
export const suggestFeature: FeatureFactory = (context: FeatureContext) => {
  const { store, discord, log, services, instanceId } = context;
  const accounts = accountsOf(context);
  const engines = createSuggestEngines(context);
  const engine: SuggestService = engines.interactive;
  const playlists: PlaylistsFor = async (memberId, priority) =>
    memberPlaylists(await accounts.spotifyFor(memberId, priority));
  const channels = digestDiscord(
    () => discord.client(),
    (guildId) => discord.ownsGuild(guildId),
  );
  const leases = { acquire: store.leases.acquire, release: store.leases.release };
  const newId = () => randomBytes(8).toString('base64url');
  const moduleLog = log.child({ module: 'suggest' });

  const stillIn = stillInOf(services);

  const answers: AnswerDeps = {
    service: engine,
    answers: createSuggestAnswerRepository(store.pool),
    playlists,
    leases,
    newId,
  };
  const radar: RadarDeps = {
    radar: createRadarRepository(store.pool),
    // The weekly refresh is background work; turning the radar on uses the interactive engine (commands/suggest).
    suggest: engines.background,
    playlists,
    leases,
    sendDm: (memberId, message, nonce) => channels.sendDmOnce(memberId, message, nonce),
    nonce: (memberId, week) => digestNonce(`radar:${memberId}`, week),
    refreshedMessage: radarRefreshedMessage,
    stillIn,
    instanceId,
    log: moduleLog,
  };
  const serverPlaylist = serverPlaylistDeps(context, channels, { playlists, leases, stillIn, log: moduleLog });
  const suggestions: SuggestionsDeps = {
    answers,
    radar,
    serverPlaylist,
    async memberNames(guildId, memberIds) {
      if (!discord.client()) return new Map();
      return channels.memberNames(guildId ?? '', memberIds);
    },
    memberGenres: memberGenresOf(services),
  };

  return {
    name: 'suggest',
    services: { suggestions },
    jobs: [refreshRadarsJob(radar), refreshServerPlaylistsJob(serverPlaylist)],
    personalData: suggestPersonalData({ store, engine, answers, radar, serverPlaylist }),
  };
};
