/**
 * Everything Encore keeps about a member, as a list of kinds that features register when they are
 * wired (the Spotify link, privacy choices, sort jobs, later history and aggregates). /unlink
 * erases every registered kind, so a new feature that stores personal data only has to register
 * it here to be covered.
 */
export interface PersonalDataKind {
  /** A stable name, for logs and for checking what is registered. */
  name: string;
  /** Deletes the member's data of this kind; says what was deleted and how much ([] = nothing). */
  erase(discordUserId: string): Promise<Erased[]>;
}

/** The kinds of records /unlink reports (worded for the member in src/discord/messages). */
export type ErasedKind =
  | 'spotify-link'
  | 'spotify-tokens'
  | 'listening-sources'
  | 'unused-lastfm-links'
  | 'unused-link-links'
  | 'link-requests'
  | 'privacy'
  | 'member-settings'
  | 'listening-history'
  | 'history-imports'
  | 'unused-import-links'
  | 'sort-jobs'
  | 'digest-admin'
  | 'weekly-wrapped-records'
  | 'social'
  | 'server-departures'
  | 'suggestion-feedback'
  | 'suggestion-answers'
  | 'encore-radar'
  | 'server-playlists'
  | 'linked-roles';

/** What one eraser deleted: a kind of record and how many of them. */
export interface Erased {
  kind: ErasedKind;
  count: number;
}

/** `[{ kind, count }]` when something went, `[]` when nothing did. */
export const erased = (kind: ErasedKind, count: number | boolean): Erased[] =>
  count ? [{ kind, count: count === true ? 1 : Number(count) }] : [];

export interface PersonalDataRegistry {
  register(kind: PersonalDataKind): void;
  names(): string[];
  /**
   * Runs every eraser, in registration order. One that fails doesn't stop the others; the first
   * failure is rethrown afterwards so the member is told, and running /unlink again finishes it.
   */
  eraseAll(discordUserId: string): Promise<Erased[]>;
}

export function createPersonalDataRegistry(kinds: PersonalDataKind[] = []): PersonalDataRegistry {
  const registered: PersonalDataKind[] = [];
  const registry: PersonalDataRegistry = {
    register(kind) {
      if (registered.some((k) => k.name === kind.name))
        throw new Error(`personal data kind ${kind.name} is registered twice`);
      registered.push(kind);
    },
    names: () => registered.map((k) => k.name),
    async eraseAll(discordUserId) {
      const deleted: Erased[] = [];
      let failure: unknown;
      for (const kind of registered) {
        try {
          deleted.push(...(await kind.erase(discordUserId)));
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure) throw failure;
      return deleted;
    },
  };
  for (const kind of kinds) registry.register(kind);
  return registry;
}

/** /unlink: erases everything registered about the member and says what went. */
export async function unlinkMember(
  registry: PersonalDataRegistry,
  discordUserId: string,
): Promise<{ deleted: Erased[] }> {
  return { deleted: await registry.eraseAll(discordUserId) };
}
