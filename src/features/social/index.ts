import { erased, type PersonalDataKind } from '../../app/accounts/personalData.js';
import { backfillVisibility, mirroredPrivacy } from '../../app/social/privacySync.js';
import type { SocialDeps } from '../../app/social/social.js';
import { guildPresence } from '../../discord/guildPresence.js';
import { applyMemberEvents } from '../../discord/memberEvents.js';
import { membershipSweepJob } from '../../jobs/membershipSweep.js';
import { refreshCrownsJob } from '../../jobs/refreshCrowns.js';
import { createDepartureRepository } from '../../store/social/membershipRepository.js';
import { createSocialRepository } from '../../store/social/socialRepository.js';
import { createSocialSettingsRepository, privacyEntries } from '../../store/socialSettings.js';
import type { FeatureFactory } from '../feature.js';
import { afterReady } from './afterReady.js';

/**
 * Server social (issue 15): leaderboards, /whoknows, crowns, /compat and server charts over the
 * members who opted in for the server. The privacy service is replaced by one that keeps the SQL
 * visibility mirror in step, which start-up rebuilds from the privacy store.
 */
export const socialFeature: FeatureFactory = ({ store, discord, services, log }) => {
  if (!services.privacy) throw new Error('the privacy feature must come before the social feature');
  const raw = createSocialRepository(store.pool);
  let rebuilt: Promise<void> = Promise.resolve();
  const repo = afterReady(raw, () => rebuilt);
  const privacy = mirroredPrivacy(services.privacy, repo);
  const now = () => (services.now ?? Date.now)();
  const departures = createDepartureRepository(store.pool);
  const deps: SocialDeps & { departures: typeof departures } = {
    repo,
    privacy,
    presence: guildPresence(() => discord.client(), now),
    departures,
    settings: createSocialSettingsRepository(store),
    now,
  };
  let stopped = false;
  const ownGuilds = () => [...(discord.client()?.guilds.cache.keys() ?? [])];
  const sweep = membershipSweepJob({
    membership: deps,
    guildIds: ownGuilds,
    stopped: () => stopped,
    log,
  });
  const crowns = refreshCrownsJob(deps, ownGuilds, log);
  const socialData: PersonalDataKind = {
    name: 'social',
    erase: async (id) => erased('social', await raw.deleteForUser(id)),
  };
  const departureData: PersonalDataKind = {
    name: 'server-departures',
    erase: async (id) => erased('server-departures', await departures.deleteForUser(id)),
  };
  return {
    name: 'social',
    services: { social: deps, privacy },
    jobs: [crowns, sweep],
    personalData: [socialData, departureData],
    async stop() {
      stopped = true;
    },
    started() {
      applyMemberEvents(discord.client(), deps, log);
      const guildIds = ownGuilds();
      rebuilt = backfillVisibility(privacyEntries(store), raw, guildIds).then(
        (members) => log.info({ members }, 'social: visibility mirror rebuilt from the privacy store'),
        (error: unknown) => log.error({ err: error }, 'social: the visibility mirror could not be rebuilt'),
      );
    },
  };
};
