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

/**
 * Start-up: the mirror rebuilt from the privacy store (it is the source of truth). In the servers
 * named, a member the mirror shows but the privacy store does not (an /unlink interrupted between
 * the two) is hidden too. How many members the privacy store holds.
 */
export async function backfillVisibility(
  entries: AsyncIterable<[string, PrivacySettings]>,
  repo: Pick<SocialRepository, 'syncVisibility' | 'setVisible' | 'visibleMembers'>,
  guildIds: readonly string[] = [],
): Promise<number> {
  const visibleIn = new Map<string, ReadonlySet<string>>();
  for await (const [memberId, settings] of entries) {
    await repo.syncVisibility(memberId, settings.visibleIn ?? []);
    visibleIn.set(memberId, new Set(settings.visibleIn ?? []));
  }
  for (const guildId of guildIds)
    for (const memberId of await repo.visibleMembers(guildId))
      if (!visibleIn.get(memberId)?.has(guildId)) await repo.setVisible(memberId, guildId, false);
  return visibleIn.size;
}
