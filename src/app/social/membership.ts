import { setVisibleIn, type PrivacyRepository } from '../privacy/privacy.js';

/**
 * Whether someone is still a member of a server, asked of Discord one member at a time (no
 * privileged members intent needed). The adapter caches positive answers.
 */
export interface GuildPresence {
  /** false only when Discord says the member is unknown there; a Discord failure counts as present. */
  isMember(guildId: string, memberId: string): Promise<boolean>;
  /** Forgets a cached "present" (a member just found gone, or withdrawn). */
  forget?(guildId: string, memberId: string): void;
}

export interface MembershipDeps {
  presence: GuildPresence;
  /** The mirrored privacy repository: withdrawing here updates the SQL mirror too. */
  privacy: PrivacyRepository;
}

/**
 * Checks the members about to be shown in a server and withdraws the visibility of those who left
 * (their opt-in was for a server they are no longer in). Returns who left.
 */
export async function withdrawGone(
  deps: MembershipDeps,
  guildId: string,
  memberIds: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(memberIds)];
  const answers = await Promise.all(unique.map((id) => deps.presence.isMember(guildId, id)));
  const gone = unique.filter((_, i) => !answers[i]);
  for (const memberId of gone) {
    await setVisibleIn(deps.privacy, memberId, guildId, false);
    deps.presence.forget?.(guildId, memberId);
  }
  return gone;
}

/** Enough rounds for a page where a few members left at once; after that, what is left is shown. */
const MAX_ROUNDS = 3;

/**
 * Computes an answer, checks the members it would show, and when some left, withdraws them and
 * computes it again (ranks, crowns and totals must not count them). `shown` picks the members the
 * answer names.
 */
export async function withoutGoneMembers<T>(
  deps: MembershipDeps,
  guildId: string,
  compute: () => Promise<T>,
  shown: (answer: T) => readonly string[],
): Promise<T> {
  let answer = await compute();
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const gone = await withdrawGone(deps, guildId, shown(answer));
    if (gone.length === 0) return answer;
    answer = await compute();
  }
  return answer;
}
