import { erased, type PersonalDataKind } from '../../app/accounts/personalData.js';
import type { WeeklyWrappedDeps } from '../../app/digest/weeklyWrapped.js';
import type { DigestDeps } from '../../app/digest/ports.js';
import { digestDiscord } from '../../discord/digestChannels.js';
import {
  digestMessage,
  digestPermissionLostMessage,
  weeklyWrappedMessage,
} from '../../discord/messages/digestMessages.js';
import { postDigestsJob, weeklyWrappedJob } from '../../jobs/digestJobs.js';
import {
  createWeeklyDmMembers,
  forgetWrappedRecords,
  createDigestLedger,
  createDigestReader,
  createDigestSettingsRepository,
} from '../../store/digest/digestStore.js';
import type { FeatureFactory } from '../feature.js';
import { digestCharts } from './charts.js';
import { socialForDigest } from './social.js';

/**
 * The weekly server digest: /digest's settings and preview (services.digest), and the job that
 * posts each server's week exactly once. Guild settings are not personal; the configuring admin's
 * id is, and /unlink removes it.
 */
export const digestFeature: FeatureFactory = ({ store, discord, charts, log, services, instanceId }) => {
  const settings = createDigestSettingsRepository(store);
  const channels = digestDiscord(
    () => discord.client(),
    (guildId) => discord.ownsGuild(guildId),
  );
  const reader = createDigestReader(store);
  const deps: DigestDeps = {
    settings,
    reader: {
      ...reader,
      // Through server social when it is on: its mirror is rebuilt at start-up before anyone reads it.
      optedIn: (guildId) => (services?.social ? services.social.repo.visibleMembers(guildId) : reader.optedIn(guildId)),
    },
    ledger: createDigestLedger(store),
    discord: channels,
    messages: { digest: digestMessage, permissionLost: digestPermissionLostMessage, wrapped: weeklyWrappedMessage },
    ...digestCharts(charts),
    // Streaks come later in the feature list: looked up when a digest is computed.
    milestones: async (memberId, week) => (await services?.streaks?.milestones(memberId, week)) ?? [],
    // Server social comes later in the feature list: looked up when a digest is computed.
    get social() {
      return socialForDigest(services?.social);
    },
    instanceId,
    log: log.child({ module: 'digest' }),
  };
  const wrapped: WeeklyWrappedDeps = {
    reader: deps.reader,
    ledger: deps.ledger,
    weeklyDmMembers: createWeeklyDmMembers(store),
    timeZoneOf: async (memberId) => services?.settings?.timeZoneOf(memberId),
    sendDm: (memberId, message, nonce) => channels.sendDmOnce(memberId, message, nonce),
    message: weeklyWrappedMessage,
    card: (week) => deps.wrappedCard(week),
    milestones: async (memberId, week) => (await services?.streaks?.milestones(memberId, week)) ?? [],
    instanceId: deps.instanceId,
    log: deps.log,
  };
  const wrappedRecords: PersonalDataKind = {
    name: 'weekly-wrapped-records',
    erase: async (id) => erased('weekly-wrapped-records', await forgetWrappedRecords(store, id)),
  };
  const adminId: PersonalDataKind = {
    name: 'digest-admin',
    erase: async (id) => erased('digest-admin', await settings.forgetAdmin(id)),
  };
  return {
    name: 'digest',
    services: { digest: deps },
    jobs: [postDigestsJob(deps), weeklyWrappedJob(wrapped)],
    personalData: [adminId, wrappedRecords],
  };
};
