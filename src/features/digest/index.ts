import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { postDueDigests } from '../../app/digest/digest.js';
import type { DigestDeps } from '../../app/digest/ports.js';
import { isEmptyChart, listeningClockChart, topGenresChart } from '../../charts/builders.js';
import { digestDiscord } from '../../discord/digestChannels.js';
import { digestMessage, digestPermissionLostMessage } from '../../discord/messages/digestMessages.js';
import type { Job } from '../../jobs/scheduler.js';
import {
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
export const digestFeature: FeatureFactory = ({ store, discord, charts, log }) => {
  const settings = createDigestSettingsRepository(store);
  const deps: DigestDeps = {
    settings,
    reader: createDigestReader(store),
    ledger: createDigestLedger(store),
    discord: digestDiscord(() => discord.client()),
    messages: { digest: digestMessage, permissionLost: digestPermissionLostMessage },
    async charts(digest) {
      const wanted = [
        {
          name: 'digest-genres.png',
          chart: topGenresChart(
            digest.topGenres.map((g) => ({ genre: g.genre, share: g.share })),
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
  const adminId: PersonalDataKind = {
    name: 'digest-admin',
    async erase(discordUserId) {
      const n = await settings.forgetAdmin(discordUserId);
      return n ? [`you as the admin of ${n === 1 ? 'a server’s' : `${n} servers’`} weekly digest`] : [];
    },
  };
  return { name: 'digest', services: { digest: deps }, jobs: [job], personalData: [adminId] };
};
