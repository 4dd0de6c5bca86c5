/**
 * Everything Encore keeps about a member, as a list of kinds that features register when they are
 * wired (the Spotify link, privacy choices, sort jobs, later history and aggregates). /unlink
 * erases every registered kind, so a new feature that stores personal data only has to register
 * it here to be covered.
 */
export interface PersonalDataKind {
  /** A stable name, for logs and for checking what is registered. */
  name: string;
  /** Deletes the member's data of this kind; says what was deleted in words the member reads ([] = nothing). */
  erase(discordUserId: string): Promise<string[]>;
}

export interface PersonalDataRegistry {
  register(kind: PersonalDataKind): void;
  names(): string[];
  /**
   * Runs every eraser, in registration order. One that fails doesn't stop the others; the first
   * failure is rethrown afterwards so the member is told, and running /unlink again finishes it.
   */
  eraseAll(discordUserId: string): Promise<string[]>;
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
      const deleted: string[] = [];
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
): Promise<{ deleted: string[] }> {
  return { deleted: await registry.eraseAll(discordUserId) };
}
