import { erased } from '../../app/accounts/personalData.js';
import type { ConnectDeps } from '../../app/sources/ports.js';
import { sourceConnectedMessage } from '../../discord/messages/sourceMessages.js';
import { sourcesRouter } from '../../http/sources/routes.js';
import { syncSourcesJob } from '../../jobs/syncSources.js';
import { requestWindow } from '../../store/accounts/requestWindow.js';
import { singleUseRecords } from '../../store/accounts/singleUse.js';
import { createSourceLinksRepository } from '../../store/sources/sourceLinksRepository.js';
import type { FeatureFactory } from '../feature.js';
import { SYNC_LEASE, sourceSync } from './sync.js';

const CONNECT_REQUESTS = 'source-connect-requests';

/**
 * Listening sources beyond Spotify (issue 23): /link's ListenBrainz and Last.fm choices, the Last.fm
 * callback, the backfill and poll job, and the connections /unlink erases.
 */
export const sourcesFeature: FeatureFactory = (context) => {
  const { config, store, log, discord, services } = context;
  const clients = context.sources;
  if (!clients.listenbrainz && !clients.lastfm) return { name: 'sources' };
  const now = () => services.now?.() ?? Date.now();
  const links = createSourceLinksRepository(store.pool);
  const states = singleUseRecords<{ discordUserId: string; guildId?: string }>(store, 'lastfm-states');
  const window = requestWindow(store, CONNECT_REQUESTS);
  const connect: ConnectDeps = {
    links,
    ...clients,
    lastfmStates: states,
    // Five attempts (a mistyped token, a Last.fm link) per member in ten minutes.
    admit: (id, at) => window.admit(id, at, 10 * 60_000, 5),
    // The sync state is created with the link: the next tick starts the backfill.
    async onConnected() {},
    publicUrl: config.PUBLIC_URL,
    now,
  };
  let stopping = false;
  return {
    name: 'sources',
    services: {
      sources: {
        connect,
        links,
        available: { listenbrainz: !!clients.listenbrainz, lastfm: !!clients.lastfm },
        readers: clients,
      },
    },
    routers: [
      sourcesRouter({
        ...connect,
        log: log.child({ module: 'sources' }),
        onLinked: async (r) =>
          void (await discord.sendDm(r.discordUserId, sourceConnectedMessage('lastfm', r.userName))),
      }),
    ],
    jobs: [syncSourcesJob(sourceSync(context, clients, links, now), { stopping: () => stopping })],
    personalData: [
      {
        name: 'listening-sources',
        async erase(id) {
          await store.leases.forget(SYNC_LEASE, `${id}:`);
          // The connection attempts' times go with the connections themselves.
          await store.namespace<number[]>(CONNECT_REQUESTS).delete(id);
          return [
            ...erased('listening-sources', await links.unlink(id)),
            ...erased('unused-lastfm-links', await states.deleteFor(id)),
          ];
        },
      },
    ],
    async stop() {
      stopping = true;
    },
  };
};
