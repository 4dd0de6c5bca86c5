import { erased, type PersonalDataKind } from '../accounts/personalData.js';

/** The member's listening history (plays, daily rollups, gaps, collector state), for /unlink. */
export function historyPersonalData(history: {
  deleteForUser(discordUserId: string): Promise<number>;
}): PersonalDataKind {
  return {
    name: 'listening-history',
    async erase(id) {
      return erased('listening-history', await history.deleteForUser(id));
    },
  };
}
