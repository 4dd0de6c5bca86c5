import type { PrivacyRepository, PrivacySettings } from '../privacy/privacy.js';
import type { SocialRepository } from './ports.js';

/**
 * The privacy repository with the SQL visibility mirror kept in step: every change to
 * `visibleIn` (/privacy, a member found gone, /unlink) goes through here. A server taken away is
 * taken out of the mirror before anything else is written, so a failure half-way can leave a
 * member hidden for a moment, never shown against their wish.
 */
export function mirroredPrivacy(
  privacy: PrivacyRepository,
  repo: Pick<SocialRepository, 'syncVisibility'>,
): PrivacyRepository {
  return {
    get: (id) => privacy.get(id),
    async save(id, settings) {
      const before = (await privacy.get(id))?.visibleIn ?? [];
      const kept = before.filter((guildId) => settings.visibleIn.includes(guildId));
      if (kept.length < before.length) await repo.syncVisibility(id, kept);
      await privacy.save(id, settings);
      await repo.syncVisibility(id, settings.visibleIn);
    },
    async delete(id) {
      await repo.syncVisibility(id, []);
      return privacy.delete(id);
    },
  };
}

/** Start-up: the mirror rebuilt from the privacy store (it is the source of truth). How many members. */
export async function backfillVisibility(
  entries: AsyncIterable<[string, PrivacySettings]>,
  repo: Pick<SocialRepository, 'syncVisibility'>,
): Promise<number> {
  let n = 0;
  for await (const [memberId, settings] of entries) {
    await repo.syncVisibility(memberId, settings.visibleIn ?? []);
    n++;
  }
  return n;
}
