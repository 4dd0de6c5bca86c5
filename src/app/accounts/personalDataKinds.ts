import type { PrivacyRepository } from '../privacy/privacy.js';
import type { PersonalDataKind, PersonalDataRegistry } from './personalData.js';
import type { AccountsRepository } from './ports.js';

/** The Spotify link, its account index and the encrypted tokens. */
export const spotifyLinkData = (repo: AccountsRepository): PersonalDataKind => ({
  name: 'spotify-link',
  erase: (id) => repo.deleteUser(id),
});

/** Unused one-time links, OAuth states and /link request times. */
export const pendingLinkData = (repo: AccountsRepository): PersonalDataKind => ({
  name: 'pending-links',
  erase: (id) => repo.deletePending(id),
});

/** The member's visibility and weekly-DM choices. */
export const privacyData = (repo: PrivacyRepository): PersonalDataKind => ({
  name: 'privacy',
  erase: async (id) => ((await repo.delete(id)) ? ['your privacy choices'] : []),
});

/**
 * Registers what linking and privacy keep, in the order the member reads it back. Features wired
 * later (history, aggregates, sort jobs) register theirs between `privacy` and `pending-links`
 * by calling this first and then `registry.register(...)`; order only affects the wording.
 */
export function registerAccountData(
  registry: PersonalDataRegistry,
  accounts: AccountsRepository,
  privacy?: PrivacyRepository,
): void {
  registry.register(spotifyLinkData(accounts));
  if (privacy) registry.register(privacyData(privacy));
}

/** Registered last: housekeeping records of linking itself. */
export function registerPendingLinkData(registry: PersonalDataRegistry, accounts: AccountsRepository): void {
  registry.register(pendingLinkData(accounts));
}
