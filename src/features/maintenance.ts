import { sweepExpiredJob } from '../jobs/sweepExpired.js';
import { sweepExpiredKeyv } from '../store/keyvSweep.js';
import type { FeatureFactory } from './feature.js';

/** Upkeep of the store itself: the daily sweep of keyv rows whose TTL passed. */
export const maintenanceFeature: FeatureFactory = ({ store, log }) => ({
  name: 'maintenance',
  jobs: [sweepExpiredJob((now) => sweepExpiredKeyv(store.pool, now), log.child({ module: 'maintenance' }))],
});
