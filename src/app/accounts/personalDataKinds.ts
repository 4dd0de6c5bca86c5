import type { PrivacyRepository } from '../privacy/privacy.js';
import { erased, type PersonalDataKind } from './personalData.js';
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
  erase: async (id) => erased('privacy', await repo.delete(id)),
});
