import { privacyData } from '../app/accounts/personalDataKinds.js';
import { createPrivacyRepository } from '../store/accounts/privacyRepository.js';
import type { FeatureFactory } from './feature.js';

/** Per-server visibility and the weekly DM: off until the member says yes (/privacy, the linked DM). */
export const privacyFeature: FeatureFactory = ({ store }) => {
  const privacy = createPrivacyRepository(store);
  return { name: 'privacy', services: { privacy }, personalData: [privacyData(privacy)] };
};
