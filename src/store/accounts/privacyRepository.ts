import type { PrivacyRepository, PrivacySettings } from '../../app/privacy/privacy.js';
import type { Store } from '../index.js';

export function createPrivacyRepository(store: Store): PrivacyRepository {
  const ns = store.namespace<PrivacySettings>('privacy');
  return {
    get: (id) => ns.get(id),
    save: async (id, settings) => void (await ns.set(id, settings)),
    delete: (id) => ns.delete(id),
  };
}
