import type { PrivacySettings } from '../app/privacy/privacy.js';
import { DEFAULT_CROWN_THRESHOLD, type SocialSettingsRepository } from '../app/social/social.js';
import type { Store } from './index.js';

/** Per-server social settings in keyv, like the digest's: the crown threshold. */
export function createSocialSettingsRepository(store: Store): SocialSettingsRepository {
  const ns = store.namespace<{ crownThreshold?: number }>('social-settings');
  return {
    async crownThreshold(guildId) {
      return (await ns.get(guildId))?.crownThreshold ?? DEFAULT_CROWN_THRESHOLD;
    },
    async setCrownThreshold(guildId, crownThreshold) {
      await ns.set(guildId, { ...(await ns.get(guildId)), crownThreshold });
    },
  };
}

/** Every member's privacy choices, for rebuilding the SQL visibility mirror at start-up. */
export async function* privacyEntries(store: Store): AsyncIterable<[string, PrivacySettings]> {
  const privacy = store.namespace<PrivacySettings>('privacy');
  for await (const [key, value] of privacy.iterator!(undefined))
    if (value) yield [String(key), value as PrivacySettings];
}
