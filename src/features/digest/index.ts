import { genreLabel } from '../../core/history/index.js';
import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { postDueDigests } from '../../app/digest/digest.js';
import { sendWeeklyWrapped, type WeeklyWrappedDeps } from '../../app/digest/weeklyWrapped.js';
import type { DigestDeps } from '../../app/digest/ports.js';
import { withdrawGone } from '../../app/social/membership.js';
import { crownChangesForDigest } from '../../app/social/social.js';
import { isEmptyChart, listeningClockChart, topArtistsChart, topGenresChart } from '../../charts/builders.js';
import { digestDiscord } from '../../discord/digestChannels.js';
import {
  digestMessage,
  digestPermissionLostMessage,
  listeningTime,
  weeklyWrappedMessage,
} from '../../discord/messages/digestMessages.js';
import type { Job } from '../../jobs/scheduler.js';
import {
  createWeeklyDmMembers,
  forgetWrappedRecords,
  createDigestLedger,
  createDigestReader,
  createDigestSettingsRepository,
} from '../../store/digest/digestStore.js';
import type { FeatureFactory } from '../feature.js';

/** Every two minutes: a crashed post is retried (same nonce) while Discord still remembers it. */
export const DIGEST_SCHEDULE = '*/2 * * * *';

/**
 * The weekly server digest: /digest's settings and preview (services.digest), and the job that
 * posts each server's week exactly once. Guild settings are not personal; the configuring admin's
 * id is, and /unlink removes it.
 */
export const digestFeature: FeatureFactory = ({ store, discord, charts, log, services }) => {
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
    async wrappedCard(week) {
      const chart = topArtistsChart(
        week.topArtists.map((a) => ({ name: a.name, value: a.ms, valueLabel: listeningTime(a.ms) })),
        { title: week.period && week.period !== 'week' ? 'Your top artists' : 'Your top artists this week' },
      );
      return isEmptyChart(chart) ? undefined : { png: await charts.render(chart), altText: chart.altText };
    },
    async charts(digest) {
      const wanted = [
        {
          name: 'digest-genres.png',
          chart: topGenresChart(
            digest.topGenres.map((g) => ({ genre: genreLabel(g.genre), share: g.share })),
            { title: 'Top genres this week' },
          ),
        },
        {
          name: 'digest-clock.png',
          chart: listeningClockChart(digest.clock, { title: 'When the server listened this week' }),
        },
      ];
      const drawn = [];
      for (const { name, chart } of wanted)
        if (!isEmptyChart(chart))
          drawn.push({ name, title: chart.title, png: await charts.render(chart), altText: chart.altText });
      return drawn;
    },
    // Server social comes later in the feature list: looked up when a digest is computed.
    get social() {
      const social = services?.social;
      return (
        social && {
          crownChanges: (guildId: string, from: number, to: number) =>
            crownChangesForDigest(social, guildId, from, to).then((changes) =>
              changes.map((c) => ({ artist: c.artistName, toId: c.toId, fromId: c.fromId, plays: c.plays })),
            ),
          withdrawGone: (guildId: string, memberIds: readonly string[]) => withdrawGone(social, guildId, memberIds),
        }
      );
    },
    instanceId: `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    log: log.child({ module: 'digest' }),
  };
  const job: Job<unknown> = {
    name: 'post-digests',
    schedule: DIGEST_SCHEDULE,
    // Every instance runs every tick: the per-(guild, week) lease and outcome decide who posts.
    once: false,
    async run(_shared, now) {
      await postDueDigests(deps, now.getTime());
    },
  };
  const wrapped: WeeklyWrappedDeps = {
    reader: deps.reader,
    ledger: deps.ledger,
    weeklyDmMembers: createWeeklyDmMembers(store),
    timeZoneOf: async (memberId) => services?.settings?.timeZoneOf(memberId),
    sendDm: (memberId, message, nonce) => channels.sendDmOnce(memberId, message, nonce),
    message: weeklyWrappedMessage,
    card: (week) => deps.wrappedCard(week),
    instanceId: deps.instanceId,
    log: deps.log,
  };
  const wrappedJob: Job<unknown> = {
    name: 'weekly-wrapped',
    schedule: DIGEST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await sendWeeklyWrapped(wrapped, now.getTime());
    },
  };
  const wrappedRecords: PersonalDataKind = {
    name: 'weekly-wrapped-records',
    async erase(discordUserId) {
      const n = await forgetWrappedRecords(store, discordUserId);
      return n ? ['the record of which weekly DMs you got'] : [];
    },
  };
  const adminId: PersonalDataKind = {
    name: 'digest-admin',
    async erase(discordUserId) {
      const n = await settings.forgetAdmin(discordUserId);
      return n ? [`you as the admin of ${n === 1 ? 'a server’s' : `${n} servers’`} weekly digest`] : [];
    },
  };
  return {
    name: 'digest',
    services: { digest: deps },
    jobs: [job, wrappedJob],
    personalData: [adminId, wrappedRecords],
  };
};
