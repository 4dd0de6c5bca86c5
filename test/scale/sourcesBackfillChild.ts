import type { SourcePlaysRepository } from '../../src/app/sources/ports.js';
import type { SourceSyncDeps } from '../../src/app/sources/syncPorts.js';
import { syncTick } from '../../src/app/sources/syncSources.js';
import { createListenBrainzClient } from '../../src/listenbrainz/index.js';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/index.js';
import { createSourcePlays } from '../../src/store/sources/sourcePlays.js';
import { createSourceSyncRepository } from '../../src/store/sources/sourceSyncRepository.js';

/**
 * One instance running a member's ListenBrainz backfill as its own process, for
 * sourcesSigkill.test.ts: the real client against the emulator the parent started, the real store
 * on the parent's database, the sync use case ticking until the backfill is done. The parent kills
 * it with SIGKILL, so nothing here cleans up on the way out.
 *
 * Environment: DATABASE_URL, LISTENBRAINZ_URL, MEMBER_ID, INSTANCE_ID; CLOCK_OFFSET_MS (this
 * instance's clock is the wall clock plus it: a later instance starts past a dead one's lease);
 * HOLD (optional, "before:N" or "after:N": just before its Nth page is stored, or after it was
 * stored and before the step's state is saved, it says `holding` and never goes on, so the parent
 * can kill it right there).
 */
export type FromBackfillChild =
  { type: 'holding'; stores: number } | { type: 'done'; ticks: number } | { type: 'error'; message: string };

const send = (message: FromBackfillChild) =>
  new Promise<void>((resolve) => process.send!(message, undefined, undefined, () => resolve()));
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const memberId = env('MEMBER_ID');
const offsetMs = Number(process.env.CLOCK_OFFSET_MS ?? '0');
const [holdWhen, holdAt] = (process.env.HOLD ?? 'never:0').split(':') as [string, string];
const MINUTE = 60_000;
// Moved on a minute when a tick could not step (a failed step waits for the next one), as the job's next tick would.
let skipMs = 0;
const now = () => Date.now() + offsetMs + skipMs;

const log = createLogger('warn', process.stderr);
const store = await openStore({ databaseUrl: env('DATABASE_URL'), dataDir: '/nonexistent', log, poolSize: 4 });
const realPlays = createSourcePlays(store.pool);
let stores = 0;
async function holdForever(): Promise<never> {
  await send({ type: 'holding', stores });
  return new Promise<never>(() => {});
}
const plays: SourcePlaysRepository = {
  async storeListens(member, source, listens, genreOf) {
    const hold = ++stores === Number(holdAt);
    if (hold && holdWhen === 'before') await holdForever();
    const result = await realPlays.storeListens(member, source, listens, genreOf);
    if (hold && holdWhen === 'after') await holdForever();
    return result;
  },
};
const sync = createSourceSyncRepository(store.pool);
const deps: SourceSyncDeps = {
  sources: {
    listenbrainz: createListenBrainzClient({
      baseUrl: env('LISTENBRAINZ_URL'),
      version: '0.0.0-test',
      contact: 'https://encore.example.org',
      now,
    }),
  },
  sync,
  plays,
  genreOf: async () => () => 'unclassified',
  lease: {
    acquire: (member, source, owner, ttlMs, at) =>
      store.leases.acquire('source-sync', `${member}:${source}`, owner, ttlMs, at),
    release: (member, source, owner) => store.leases.release('source-sync', `${member}:${source}`, owner),
  },
  instanceId: env('INSTANCE_ID'),
  log,
  now,
};

try {
  for (let ticks = 1; ; ticks++) {
    const results = await syncTick(deps);
    if ((await sync.get(memberId, 'listenbrainz'))?.backfillDone) {
      await send({ type: 'done', ticks });
      break;
    }
    if (results.some((r) => r.kind === 'busy' || r.kind === 'unlinked' || r.kind === 'stopped'))
      throw new Error(`the backfill cannot go on: ${JSON.stringify(results)}`);
    if (ticks >= 50) throw new Error(`not done after ${ticks} ticks: ${JSON.stringify(results)}`);
    if (!results.some((r) => r.kind === 'backfilled')) skipMs += MINUTE;
  }
  await store.close();
  process.exit(0);
} catch (error) {
  await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
