import { memberSettingsData } from '../app/settings/timeZone.js';
import { createMemberSettingsRepository } from '../store/settings/memberSettingsRepository.js';
import type { FeatureFactory } from './feature.js';

/** A member's own settings (/settings timezone), erased by /unlink. */
export const settingsFeature: FeatureFactory = ({ store }) => {
  const settings = createMemberSettingsRepository(store.pool);
  return { name: 'settings', services: { settings }, personalData: [memberSettingsData(settings)] };
};
