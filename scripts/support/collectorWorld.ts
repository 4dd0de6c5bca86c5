import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createSpotifyGateway } from '../../src/spotify/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createAccounts, type Accounts } from '../../src/features/linking/accounts.js';
import { createHistoryFeature, type HistoryFeature } from '../../src/features/history/historyFeature.js';
import type { SpotifyEmulator } from '../../emulators/spotify/index.js';

/**
 * The simulated time of a test or bench. `at()` stays where `set` put it: the emulator's clock,
 * so what it serves during a tick is exactly what was played up to the tick. `running()` goes on
 * from there in real time: the gateway's clock, whose pacer spaces requests by waiting for it.
 */
export function simulatedClock(start: number) {
  let at = start;
  let setAt = Date.now();
  return {
    at: () => at,
    running: () => at + (Date.now() - setAt),
    set(next: number) {
      at = next;
      setAt = Date.now();
    },
  };
}

/**
 * The part of a bot instance that collects history, built as startEncore builds it: its own store
 * (pool) on the shared database, its own gateway, accounts and history feature. Ticks run the
 * collector job the scheduler would run, at a moved time.
 */
export interface CollectorInstance {
  name: string;
  store: Store;
  accounts: Accounts;
  history: HistoryFeature;
  /** Runs the collector job as the scheduler's minute tick would, at `at`. */
  tick(at: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCollectorInstance(options: {
  name: string;
  /** The database to open a store on, or a store to use (and leave open). */
  databaseUrl?: string;
  store?: Store;
  emulator: SpotifyEmulator;
  clock: { running(): number };
  encryptionKey: string;
  log: Logger;
}): Promise<CollectorInstance> {
  const store =
    options.store ??
    (await openStore({ databaseUrl: options.databaseUrl, dataDir: '/nonexistent', log: options.log, poolSize: 4 }));
  const gateway = createSpotifyGateway({
    apiUrl: options.emulator.apiUrl,
    accountsUrl: options.emulator.accountsUrl,
    clientId: 'test-client',
    clientSecret: 'test-secret',
    store,
    log: options.log,
    now: options.clock.running,
  });
  const accounts = createAccounts({
    store,
    gateway,
    encryptionKeys: [options.encryptionKey],
    publicUrl: 'http://127.0.0.1:1',
    userCap: 5,
  });
  const history = createHistoryFeature({ store, gateway, accounts, log: options.log, instanceId: options.name });
  const job = history.jobs.find((j) => j.name === 'collect-history')!;
  return {
    name: options.name,
    store,
    accounts,
    history,
    tick: (at) => job.run(undefined, new Date(at)),
    stop: () => (options.store ? Promise.resolve() : store.close()),
  };
}

/** Links emulator users to fresh Discord ids through the instance's accounts repository. */
export async function linkMembers(
  instance: CollectorInstance,
  emulator: SpotifyEmulator,
  users: readonly string[],
  consentAt: number,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const user of users) {
    const discordUserId = `8${randomBytes(6).readUIntBE(0, 6)}`.slice(0, 18);
    await instance.accounts.repo.saveLink({
      discordUserId,
      spotifyAccountId: user,
      displayName: user,
      consentAt,
      status: 'active',
    });
    await instance.accounts.repo.saveTokens(discordUserId, emulator.issueTokens(user, 'test-client'));
    ids.set(user, discordUserId);
  }
  return ids;
}
