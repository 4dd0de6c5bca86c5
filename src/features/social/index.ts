import { Events, type GuildMember, type PartialGuildMember } from 'discord.js';
import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { memberLeft, memberRejoined } from '../../app/social/membership.js';
import type { SocialRepository } from '../../app/social/ports.js';
import { backfillVisibility, mirroredPrivacy } from '../../app/social/privacySync.js';
import { refreshServerCrowns, type SocialDeps } from '../../app/social/social.js';
import { guildPresence } from '../../discord/guildPresence.js';
import { membershipSweepJob } from '../../jobs/membershipSweep.js';
import type { Job } from '../../jobs/scheduler.js';
import { createDepartureRepository } from '../../store/social/membershipRepository.js';
import { createSocialRepository } from '../../store/social/socialRepository.js';
import { createSocialSettingsRepository, privacyEntries } from '../../store/socialSettings.js';
import type { FeatureFactory } from '../feature.js';

/** Crowns move as members listen: checked twice an hour (and at once for an artist in /whoknows). */
export const CROWNS_SCHEDULE = '*/30 * * * *';

/** Every method waits for `ready` first: nothing reads the visibility mirror before it is rebuilt. */
function afterReady(repo: SocialRepository, ready: () => Promise<void>): SocialRepository {
  return new Proxy(repo, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await ready();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

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
  const crowns: Job<unknown> = {
    name: 'refresh-crowns',
    schedule: CROWNS_SCHEDULE,
    // Every process refreshes the servers its own shards hold (another process's cache lacks them).
    once: false,
    async run() {
      const guildIds = [...(discord.client()?.guilds.cache.keys() ?? [])];
      const changes = await refreshServerCrowns(deps, guildIds);
      if (changes.length) log.info({ changes: changes.length }, 'crowns changed hands');
    },
  };
  const socialData: PersonalDataKind = {
    name: 'social',
    async erase(discordUserId) {
      const n = await raw.deleteForUser(discordUserId);
      return n ? ['your place on the server leaderboards and the crowns you held'] : [];
    },
  };
  const departureData: PersonalDataKind = {
    name: 'server-departures',
    async erase(discordUserId) {
      const n = await departures.deleteForUser(discordUserId);
      return n ? ['the servers you left while sharing your listening there'] : [];
    },
  };
  /** Discord's member events (only with the privileged members intent; the sweep covers the rest). */
  const onMemberEvents = () => {
    const client = discord.client();
    if (!client) return;
    const handle = (what: string, work: () => Promise<unknown>) =>
      void work().catch((error: unknown) => log.warn({ err: error }, `social: a member ${what} could not be applied`));
    client.on(Events.GuildMemberRemove, (member: GuildMember | PartialGuildMember) =>
      handle('leaving', () => memberLeft(deps, member.guild.id, member.id)),
    );
    client.on(Events.GuildMemberAdd, (member: GuildMember) =>
      handle('rejoining', () => memberRejoined(deps, member.guild.id, member.id)),
    );
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
      onMemberEvents();
      const guildIds = ownGuilds();
      rebuilt = backfillVisibility(privacyEntries(store), raw, guildIds).then(
        (members) => log.info({ members }, 'social: visibility mirror rebuilt from the privacy store'),
        (error: unknown) => log.error({ err: error }, 'social: the visibility mirror could not be rebuilt'),
      );
    },
  };
};
