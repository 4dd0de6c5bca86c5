import type { SourceKind, SourceLinksRepository } from '../../app/sources/ports.js';
import type { SourceSyncDeps } from '../../app/sources/syncPorts.js';
import { rollupGenre } from '../../core/history/index.js';
import { backfillProgressMessage, sourceStoppedMessage } from '../../discord/messages/sourceMessages.js';
import { createSourcePlays } from '../../store/sources/sourcePlays.js';
import { createSourceSyncRepository } from '../../store/sources/sourceSyncRepository.js';
import type { FeatureContext } from '../feature.js';

/** The lease kind of one member's sync with one source ("<discord id>:<source>", forgotten by /unlink). */
export const SYNC_LEASE = 'source-sync';

/** The backfill and poll wired to the store, the genre cache and the member's DMs. */
export function sourceSync(
  { store, gateway, log, discord, instanceId }: FeatureContext,
  sources: SourceSyncDeps['sources'],
  links: SourceLinksRepository,
  now: () => number,
): SourceSyncDeps {
  const userNameOf = async (memberId: string, source: SourceKind) =>
    (await links.linksOf(memberId)).find((l) => l.source === source)?.userName ?? 'your account';
  return {
    sources,
    sync: createSourceSyncRepository(store.pool),
    plays: createSourcePlays(store.pool),
    // Genres from the shared cache only: a source's listens spend no Spotify request.
    async genreOf(artistIds) {
      const genres = await gateway.cachedGenres(artistIds);
      return (credits) => rollupGenre(credits.map((id) => genres.get(id)));
    },
    lease: {
      acquire: (memberId, source, owner, ttlMs, at) =>
        store.leases.acquire(SYNC_LEASE, `${memberId}:${source}`, owner, ttlMs, at),
      release: (memberId, source, owner) => store.leases.release(SYNC_LEASE, `${memberId}:${source}`, owner),
    },
    instanceId,
    log: log.child({ module: 'sources' }),
    now,
    async onProgress(memberId, source, progress) {
      await discord.sendDm(memberId, backfillProgressMessage(source, progress));
    },
    async onBackfillDone(memberId, source, done) {
      await discord.sendDm(memberId, backfillProgressMessage(source, { ...done, done: true }));
    },
    async onStopped(memberId, source, status) {
      await discord.sendDm(memberId, sourceStoppedMessage(source, await userNameOf(memberId, source), status));
    },
  };
}
