import type { ServerYearDeps } from '../app/serverYear/ports.js';
import { isEmptyChart } from '../charts/builders.js';
import { awardCardsChart } from '../charts/serverYearCards.js';
import { awardCards, serverYearMessage } from '../discord/messages/serverYearMessages.js';
import { serverYearJob } from '../jobs/serverYearJob.js';
import { createServerYearReader } from '../store/history/serverYearReader.js';
import type { FeatureFactory } from './feature.js';

/**
 * The server's year (issue 25): /wrapped scope:server period:year and the December post, read from
 * the history rollups for opted-in members, posted through the digest's channel, ledger and leases.
 * Nothing personal of its own is stored (the outcome names a message, not a member).
 */
export const serverYearFeature: FeatureFactory = ({ store, charts, services, instanceId }) => {
  if (!services.digest) return { name: 'server-year' };
  // This process owns the year's lease, whoever built the digest's deps.
  const digest = { ...services.digest, instanceId };
  const deps: ServerYearDeps = {
    reader: createServerYearReader(store.pool),
    digest,
    messages: { year: serverYearMessage },
    async card(year, names) {
      const chart = awardCardsChart(awardCards(year, names), {
        title: `The server’s ${year.year} awards`,
        subtitle: 'Among members who share their listening here',
      });
      return isEmptyChart(chart) ? undefined : { png: await charts.render(chart), altText: chart.altText };
    },
  };
  return { name: 'server-year', services: { serverYear: deps }, jobs: [serverYearJob(deps)] };
};
