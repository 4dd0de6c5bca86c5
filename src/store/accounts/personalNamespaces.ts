import { erased, type ErasedKind, type PersonalDataKind } from '../../app/accounts/personalData.js';
import type { Store } from '../index.js';
import { KEYV_TABLE } from '../schema.js';

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A personal-data kind for a store namespace keyed by Discord user id: erases `ns:<id>` and any
 * `ns:<id>:…` keys (history per day, aggregates per period). For features whose keys start with
 * the member's id; data keyed otherwise registers its own eraser.
 */
export function userKeyedNamespace(store: Store, namespace: string, kind: ErasedKind): PersonalDataKind {
  return {
    name: `namespace:${namespace}`,
    async erase(discordUserId) {
      const exact = `${namespace}:${discordUserId}`;
      const result = await store.pool.query(`DELETE FROM ${KEYV_TABLE} WHERE key = $1 OR key LIKE $2`, [
        exact,
        `${likeEscape(exact)}:%`,
      ]);
      return erased(kind, result.rowCount ?? 0);
    },
  };
}
