import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { historyPersonalData, type CollectorDeps, type HistoryRepository } from '../../app/history/index.js';
import { collectHistoryJob, reclassifyHistoryJob } from '../../jobs/collectHistory.js';
import type { Job } from '../../jobs/scheduler.js';
import type { Logger } from '../../log.js';
import type { SpotifyGateway } from '../../spotify/index.js';
import { createHistoryRepository } from '../../store/history/historyRepository.js';
import type { Store } from '../../store/index.js';
import type { Accounts } from '../feature.js';

/** The lease kind of a member's history poll. */
export const COLLECTOR_LEASE = 'history-collector';
// "<discord id>:poll", so /unlink can forget a member's leases by the prefix "<discord id>:".
const leaseId = (memberId: string) => `${memberId}:poll`;

/** What the rest of Encore sees of the history feature. */
export interface HistoryService {
  repo: HistoryRepository;
  /** Everything the history keeps about a member, for /unlink; returns how many plays went. */
  deleteForUser(discordUserId: string): Promise<number>;
}

export interface HistoryFeature {
  service: HistoryService;
  jobs: Array<Job<unknown>>;
  personalData: PersonalDataKind[];
  /** The collector's dependencies, for tests and benches that drive it on their own clock. */
  collector: CollectorDeps;
}

/**
 * Listening history wired to the store, the gateway and the linked accounts: the collector job,
 * the history repository and the personal-data kind /unlink erases.
 */
export function createHistoryFeature(options: {
  store: Store;
  gateway: SpotifyGateway;
  accounts: Accounts;
  log: Logger;
  instanceId: string;
}): HistoryFeature {
  const { store, accounts } = options;
  const repo = createHistoryRepository(store.pool);
  const log = options.log.child({ module: 'history' });
  const collector: CollectorDeps = {
    repo,
    async activeMembers() {
      return (await accounts.repo.listLinks())
        .filter((link) => link.status === 'active')
        .map((link) => link.discordUserId);
    },
    async spotifyFor(memberId) {
      // Background priority: inside the daily budget's background share, behind interactive work.
      const client = await accounts.spotifyFor(memberId, 'background');
      return { recentlyPlayed: (after) => client.recentlyPlayed(after === undefined ? {} : { after }) };
    },
    cachedGenres: (ids) => options.gateway.cachedGenres(ids),
    lease: {
      acquire: (memberId, owner, ttlMs, now) =>
        store.leases.acquire(COLLECTOR_LEASE, leaseId(memberId), owner, ttlMs, now),
      release: (memberId, owner) => store.leases.release(COLLECTOR_LEASE, leaseId(memberId), owner),
    },
    instanceId: options.instanceId,
    log,
  };
  const service: HistoryService = {
    repo,
    async deleteForUser(discordUserId) {
      const plays = await repo.deleteForUser(discordUserId);
      await store.leases.forget(COLLECTOR_LEASE, `${discordUserId}:`);
      return plays;
    },
  };
  return {
    service,
    jobs: [collectHistoryJob(collector), reclassifyHistoryJob(collector)],
    personalData: [historyPersonalData(service)],
    collector,
  };
}
