import { randomBytes } from 'node:crypto';
import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { memberLeft } from '../../app/social/membership.js';
import type { AnswerDeps, MemberPlaylists, PlaylistsFor } from '../../app/suggest/answers.js';
import type { SuggestService } from '../../app/suggest/ports.js';
import { refreshDueRadars, type RadarDeps } from '../../app/suggest/radar.js';
import { refreshDueServerPlaylists, type ServerPlaylistDeps } from '../../app/suggest/serverPlaylist.js';
import type { SuggestionsDeps } from '../../app/suggest/suggestions.js';
import { digestNonce } from '../../core/digest/index.js';
import { digestDiscord } from '../../discord/digestChannels.js';
import {
  radarRefreshedMessage,
  serverPlaylistAnnouncementMessage,
  serverPlaylistOffMessage,
} from '../../discord/messages/suggestMessage.js';
import type { Job } from '../../jobs/scheduler.js';
import { SpotifyApiError, type SpotifyUserClient } from '../../spotify/index.js';
import { createDigestSettingsRepository } from '../../store/digest/digestStore.js';
import { createSuggestAnswerRepository } from '../../store/suggestions/answerRepository.js';
import { createRadarRepository } from '../../store/suggestions/radarRepository.js';
import { createServerPlaylistRepository } from '../../store/suggestions/serverPlaylistRepository.js';
import { accountsOf, type FeatureContext, type FeatureFactory } from '../feature.js';
import { createSuggestEngines, visibleMembersOf } from './engine.js';

/** Hourly: a week's radars and a month's server playlist go out in the first hour of their period. */
export const RADAR_SCHEDULE = '17 * * * *';
export const SERVER_PLAYLIST_SCHEDULE = '23 * * * *';

/** A member's Spotify as playlists use it: 404 or 403 on a write means the playlist is gone or no longer theirs. */
export function memberPlaylists(spotify: SpotifyUserClient): MemberPlaylists {
  return {
    async create(name, description) {
      return (await spotify.createPlaylist(name, description)).id;
    },
    async replace(playlistId, uris) {
      try {
        await spotify.replaceItems(playlistId, uris);
        return 'ok';
      } catch (error) {
        if (error instanceof SpotifyApiError && (error.status === 404 || error.status === 403)) return 'gone';
        throw error;
      }
    },
    async findByMarker(marker) {
      const own = await spotify.myPlaylists();
      return own.find((p) => p.description?.includes(marker))?.id;
    },
  };
}

/**
 * Suggestions (issue 16): the engine, /suggest's answers and their buttons, the weekly Encore Radar
 * and the monthly "Sounds of <server>", the two jobs that refresh them, and the personal data
 * /unlink erases (feedback, answers, radar, the server playlists in the member's account).
 */
export const suggestFeature: FeatureFactory = (context: FeatureContext) => {
  const { store, discord, log, services } = context;
  const accounts = accountsOf(context);
  const engines = createSuggestEngines(context);
  const engine: SuggestService = engines.interactive;
  const playlists: PlaylistsFor = async (memberId, priority) =>
    memberPlaylists(await accounts.spotifyFor(memberId, priority));
  const channels = digestDiscord(
    () => discord.client(),
    (guildId) => discord.ownsGuild(guildId),
  );
  const instanceId = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const leases = { acquire: store.leases.acquire, release: store.leases.release };
  const newId = () => randomBytes(8).toString('base64url');
  const moduleLog = log.child({ module: 'suggest' });

  /**
   * Whether a member is still in a server (server social's membership check, looked up when asked:
   * that feature is built after this one). One Discord says left is withdrawn there at once.
   */
  const stillIn = async (guildId: string, memberId: string) => {
    const social = services.social;
    if (!social || (await social.presence.isMember(guildId, memberId))) return true;
    await memberLeft(social, guildId, memberId);
    return false;
  };

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
  const digestSettings = createDigestSettingsRepository(store);
  const serverPlaylists = createServerPlaylistRepository(store.pool);
  const serverPlaylist: ServerPlaylistDeps = {
    repo: serverPlaylists,
    optedIn: visibleMembersOf(context),
    playlists,
    leases,
    guildName: (guildId) => discord.guildName(guildId),
    ownsGuild: (guildId) => discord.ownsGuild(guildId),
    async announce(guildId, ownerId, message, nonce) {
      const channelId = (await digestSettings.get(guildId))?.channelId;
      if (channelId && (await channels.post(channelId, message, nonce)).ok) return 'channel';
      return (await channels.sendDmOnce(ownerId, message, nonce)) === 'sent' ? 'dm' : 'nowhere';
    },
    nonce: (guildId, month) => digestNonce(`sounds:${guildId}`, month),
    announcementMessage: serverPlaylistAnnouncementMessage,
    ownerPresent: stillIn,
    stoppedMessage: () => serverPlaylistOffMessage(true),
    instanceId,
    log: moduleLog,
  };
  const suggestions: SuggestionsDeps = {
    answers,
    radar,
    serverPlaylist,
    async memberNames(guildId, memberIds) {
      if (!discord.client()) return new Map();
      return channels.memberNames(guildId ?? '', memberIds);
    },
    async memberGenres(memberId, now) {
      const reader = services.historyReader;
      if (!reader) return [];
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const rows = await reader.genreDays(memberId, day(now - 90 * 86_400_000), day(now), 'period');
      return rows
        .filter((r) => r.genre !== 'unclassified')
        .sort((a, b) => b.plays - a.plays)
        .map((r) => r.genre);
    },
  };

  const radarJob: Job<unknown> = {
    name: 'refresh-radars',
    schedule: RADAR_SCHEDULE,
    // Every instance may tick: the per-member lease and the week's conditional record decide.
    once: false,
    async run(_shared, now) {
      await refreshDueRadars(radar, now.getTime());
    },
  };
  const serverPlaylistJob: Job<unknown> = {
    name: 'refresh-server-playlists',
    schedule: SERVER_PLAYLIST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await refreshDueServerPlaylists(serverPlaylist, now.getTime());
    },
  };

  const feedbackData: PersonalDataKind = {
    name: 'suggestion-feedback',
    async erase(memberId) {
      const n = await engine.feedback.deleteForUser(memberId);
      return n ? ['your 👍 and 👎 on suggestions'] : [];
    },
  };
  const answerData: PersonalDataKind = {
    name: 'suggestion-answers',
    async erase(memberId) {
      const n = await answers.answers.deleteForUser(memberId);
      return n ? [`${n === 1 ? 'a list' : `${n} lists`} of suggestions you were shown`] : [];
    },
  };
  const radarData: PersonalDataKind = {
    name: 'encore-radar',
    async erase(memberId) {
      const n = await radar.radar.deleteForUser(memberId);
      // A refresh that crashed leaves its lease (named after the member) until it expires.
      await store.leases.forget('radar', `${memberId}:`);
      return n ? ['your weekly Encore Radar (the playlist stays in your Spotify, no longer refreshed)'] : [];
    },
  };
  const serverPlaylistData: PersonalDataKind = {
    name: 'server-playlists',
    async erase(memberId) {
      const n = await serverPlaylists.deleteForOwner(memberId);
      return n
        ? [
            `${n === 1 ? 'a server playlist' : `${n} server playlists`} kept in your Spotify (stays there, no longer refreshed)`,
          ]
        : [];
    },
  };

  return {
    name: 'suggest',
    services: { suggestions },
    jobs: [radarJob, serverPlaylistJob],
    personalData: [feedbackData, answerData, radarData, serverPlaylistData],
  };
};
