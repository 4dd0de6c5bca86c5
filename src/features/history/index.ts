import path from 'node:path';
import { createCoverGridImages } from '../../charts/grid/coverGridImage.js';
import { createCoverReads } from '../../store/history/coverReads.js';
import { createHistoryReads } from '../../store/history/historyReads.js';
import { createHistoryFeature } from './historyFeature.js';
import { createHistoryImport } from './importFeature.js';
import { accountsOf, type FeatureFactory } from '../feature.js';

/** Listening history: the collector job, the history store, and the plays /unlink erases. */
export const historyFeature: FeatureFactory = (context) => {
  const history = createHistoryFeature({
    store: context.store,
    gateway: context.gateway,
    accounts: accountsOf(context),
    log: context.log,
    instanceId: context.instanceId,
  });
  const historyImport = createHistoryImport({ ...context, accounts: accountsOf(context) });
  return {
    name: 'history',
    services: {
      history: history.service,
      historyImport: historyImport.deps,
      historyReader: createHistoryReads(context.store.pool),
      coverGrids: {
        reader: createCoverReads(context.store.pool),
        render: createCoverGridImages({
          dir: context.config.COVER_CACHE_DIR ?? path.join(context.config.DATA_DIR, 'covers'),
          ...(context.config.COVER_ART_ARCHIVE_URL ? { coverArtArchiveUrl: context.config.COVER_ART_ARCHIVE_URL } : {}),
          log: context.log,
        }).render,
      },
    },
    jobs: history.jobs,
    routers: [historyImport.router],
    personalData: [...history.personalData, historyImport.personalData],
  };
};
