import type { PersonalDataKind } from '../accounts/personalData.js';

/** The member's listening history (plays, daily rollups, gaps, collector state), for /unlink. */
export function historyPersonalData(history: {
  deleteForUser(discordUserId: string): Promise<number>;
}): PersonalDataKind {
  return {
    name: 'listening-history',
    async erase(id) {
      const n = await history.deleteForUser(id);
      return n ? [`your listening history (${n.toLocaleString('en-US')} play${n === 1 ? '' : 's'})`] : [];
    },
  };
}
