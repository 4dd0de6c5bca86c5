import { createHistoryFeature } from './historyFeature.js';
import { accountsOf, type FeatureFactory } from '../feature.js';

/** Listening history: the collector job, the history store, and the plays /unlink erases. */
export const historyFeature: FeatureFactory = (context) => {
  const history = createHistoryFeature({
    store: context.store,
    gateway: context.gateway,
    accounts: accountsOf(context),
    log: context.log,
  });
  return {
    name: 'history',
    services: { history: history.service },
    jobs: history.jobs,
    personalData: history.personalData,
  };
};
