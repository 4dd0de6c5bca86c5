import type { SourceKind, SourceListen, SourcePlaysRepository } from '../../src/app/sources/ports.js';
import type { BackfillProgress, SourceSyncDeps } from '../../src/app/sources/syncPorts.js';
import { createLastfmClient } from '../../src/lastfm/index.js';
import { createListenBrainzClient } from '../../src/listenbrainz/index.js';
import type { Store } from '../../src/store/index.js';
import { createSourceLinksRepository } from '../../src/store/sources/sourceLinksRepository.js';
import { createSourceSyncRepository } from '../../src/store/sources/sourceSyncRepository.js';
import type { LastfmEmulator } from '../../emulators/lastfm/server.js';
import type { ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import { captureLogger } from '../support/logger.js';

/** One clock for emulators, clients and the syncer: the clients' waits move it, nothing really sleeps. */
export function testClock(start: number) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += Math.max(0, ms);
    },
    advance: (ms: number) => {
      t += ms;
    },
    set: (at: number) => {
      t = at;
    },
  };
}
export type TestClock = ReturnType<typeof testClock>;

/** A listen as instant and track name: enough to tell listens apart and to match the emulators' truth. */
export const listenKey = (l: SourceListen) => `${l.listenedAt}|${l.track.name}`;

export const listenBrainzTruth = (em: ListenBrainzEmulator, user: string) =>
  em
    .user(user)
    .history.all()
    .map((l) => `${l.listenedAt * 1000}|${l.track.name}`);

export const lastfmTruth = (em: LastfmEmulator, user: string) =>
  [...em.history(user).all()].map((s) => `${s.uts * 1000}|${s.track.name}`);

export const sorted = (keys: Iterable<string>) => [...keys].sort();

/**
 * Plays kept in memory, for the paging logic: a listen already stored is not stored again (the
 * port's contract), and every listen offered is remembered, so a test sees a page offered twice.
 */
export function memoryPlays() {
  const stored = new Map<string, Set<string>>();
  const offered = new Map<string, string[]>();
  type Hook = (memberId: string, listens: readonly SourceListen[]) => Promise<void> | void;
  /** Run before a call stores anything (a throw leaves the call without effect), and after it stored. */
  const hooks: { before?: Hook; after?: Hook } = {};
  const repo: SourcePlaysRepository = {
    async storeListens(memberId, _source, listens, genreOf) {
      await hooks.before?.(memberId, listens);
      await genreOf([]);
      const mine = stored.get(memberId) ?? new Set<string>();
      stored.set(memberId, mine);
      const seen = offered.get(memberId) ?? [];
      offered.set(memberId, seen);
      let inserted = 0;
      for (const l of listens) {
        seen.push(listenKey(l));
        if (!mine.has(listenKey(l))) {
          mine.add(listenKey(l));
          inserted++;
        }
      }
      await hooks.after?.(memberId, listens);
      return { inserted };
    },
  };
  return {
    repo,
    stored: (memberId: string) => stored.get(memberId) ?? new Set<string>(),
    offered: (memberId: string) => offered.get(memberId) ?? [],
    hooks,
  };
}

export const listenBrainzClient = (em: ListenBrainzEmulator, clock: TestClock) =>
  createListenBrainzClient({
    baseUrl: em.url,
    version: '0.0.0-test',
    contact: 'https://encore.example.org',
    now: clock.now,
    sleep: clock.sleep,
  });

export const lastfmClient = (em: LastfmEmulator, clock: TestClock, apiKey = em.apiKey) =>
  createLastfmClient({
    apiKey,
    sharedSecret: em.sharedSecret,
    apiUrl: em.apiUrl,
    authUrl: em.authUrl,
    userAgent: 'Encore/0.0.0-test (+https://encore.example.org)',
    now: clock.now,
    sleep: clock.sleep,
  });

export interface Callbacks {
  progress: Array<{ memberId: string; source: SourceKind; at: number } & BackfillProgress>;
  done: Array<{ memberId: string; source: SourceKind; read: number; at: number }>;
  stopped: Array<{ memberId: string; source: SourceKind; status: string }>;
}

/** The syncer's dependencies as the feature wires them, on a test store, clock and emulators. */
export function syncDeps(options: {
  store: Store;
  clock: TestClock;
  sources: SourceSyncDeps['sources'];
  plays: SourcePlaysRepository;
  instanceId?: string;
  progressEvery?: SourceSyncDeps['progressEvery'];
}) {
  const { store, clock } = options;
  const logger = captureLogger('debug');
  const calls: Callbacks = { progress: [], done: [], stopped: [] };
  const deps: SourceSyncDeps = {
    sources: options.sources,
    sync: createSourceSyncRepository(store.pool),
    plays: options.plays,
    genreOf: async () => () => 'unclassified',
    lease: {
      acquire: (memberId, source, owner, ttlMs, now) =>
        store.leases.acquire('source-sync', `${memberId}:${source}`, owner, ttlMs, now),
      release: (memberId, source, owner) => store.leases.release('source-sync', `${memberId}:${source}`, owner),
    },
    instanceId: options.instanceId ?? 'instance-a',
    log: logger.log,
    now: clock.now,
    ...(options.progressEvery ? { progressEvery: options.progressEvery } : {}),
    onProgress: (memberId, source, p) => void calls.progress.push({ memberId, source, at: clock.now(), ...p }),
    onBackfillDone: (memberId, source, d) => void calls.done.push({ memberId, source, at: clock.now(), ...d }),
    onStopped: (memberId, source, status) => void calls.stopped.push({ memberId, source, status }),
  };
  return { deps, calls, logger, links: createSourceLinksRepository(store.pool) };
}
