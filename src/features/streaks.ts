import type { StreaksDeps, StreaksService } from '../app/streaks/ports.js';
import { weeklyMilestones } from '../app/streaks/streaks.js';
import { createStreaksReader } from '../store/streaks/streaksReader.js';
import type { FeatureFactory } from './feature.js';

/**
 * Streaks and milestones (issue 25): /streak and the milestones of the weekly wrapped DM, read from
 * the history rollups. Nothing of its own is stored: /unlink's history erasure covers it.
 */
export const streaksFeature: FeatureFactory = ({ store, services }) => {
  const deps: StreaksDeps = {
    reader: createStreaksReader(store.pool),
    // Settings come earlier in the feature list; looked up per request all the same.
    timeZoneOf: async (memberId) => services.settings?.timeZoneOf(memberId),
  };
  const streaks: StreaksService = { ...deps, milestones: (memberId, week) => weeklyMilestones(deps, memberId, week) };
  return { name: 'streaks', services: { streaks } };
};
