import type { ServerPlaylistDeps } from '../../app/suggest/serverPlaylist.js';
import { digestNonce } from '../../core/digest/index.js';
import type { digestDiscord } from '../../discord/digestChannels.js';
import { serverPlaylistAnnouncementMessage, serverPlaylistOffMessage } from '../../discord/messages/suggestMessage.js';
import { createDigestSettingsRepository } from '../../store/digest/digestStore.js';
import { createServerPlaylistRepository } from '../../store/suggestions/serverPlaylistRepository.js';
import type { FeatureContext } from '../feature.js';
import { visibleMembersOf } from './engine.js';

/** The monthly "Sounds of <server>": announced in the digest channel, else to its owner by DM. */
export function serverPlaylistDeps(
  context: FeatureContext,
  channels: ReturnType<typeof digestDiscord>,
  shared: Pick<ServerPlaylistDeps, 'playlists' | 'leases' | 'log'> & { stillIn: ServerPlaylistDeps['ownerPresent'] },
): ServerPlaylistDeps {
  const { store, discord } = context;
  const digestSettings = createDigestSettingsRepository(store);
  return {
    repo: createServerPlaylistRepository(store.pool),
    optedIn: visibleMembersOf(context),
    playlists: shared.playlists,
    leases: shared.leases,
    guildName: (guildId) => discord.guildName(guildId),
    ownsGuild: (guildId) => discord.ownsGuild(guildId),
    async announce(guildId, ownerId, message, nonce) {
      const channelId = (await digestSettings.get(guildId))?.channelId;
      if (channelId && (await channels.post(channelId, message, nonce)).ok) return 'channel';
      return (await channels.sendDmOnce(ownerId, message, nonce)) === 'sent' ? 'dm' : 'nowhere';
    },
    nonce: (guildId, month) => digestNonce(`sounds:${guildId}`, month),
    announcementMessage: serverPlaylistAnnouncementMessage,
    ownerPresent: shared.stillIn,
    stoppedMessage: () => serverPlaylistOffMessage(true),
    instanceId: context.instanceId,
    log: shared.log,
  };
}
