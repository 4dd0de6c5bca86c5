/**
 * What a member lets others see. Spotify's Developer Policy is wary of derived listening metrics,
 * so everything starts at "no", consent is per server, and it can be withdrawn at any time.
 */
export interface PrivacySettings {
  /** Servers where the member appears on leaderboards, in digests and in /whoknows. */
  visibleIn: string[];
  /** A personal weekly wrapped by DM. */
  weeklyDm: boolean;
}

export const DEFAULT_PRIVACY: PrivacySettings = Object.freeze({ visibleIn: [], weeklyDm: false }) as PrivacySettings;

export interface PrivacyRepository {
  get(discordUserId: string): Promise<PrivacySettings | undefined>;
  save(discordUserId: string, settings: PrivacySettings): Promise<void>;
  delete(discordUserId: string): Promise<boolean>;
}

export async function privacyOf(repo: PrivacyRepository, discordUserId: string): Promise<PrivacySettings> {
  return (await repo.get(discordUserId)) ?? DEFAULT_PRIVACY;
}

export async function setVisibleIn(
  repo: PrivacyRepository,
  discordUserId: string,
  guildId: string,
  visible: boolean,
): Promise<PrivacySettings> {
  const current = await privacyOf(repo, discordUserId);
  const visibleIn = visible
    ? [...new Set([...current.visibleIn, guildId])]
    : current.visibleIn.filter((g) => g !== guildId);
  const next = { ...current, visibleIn };
  await repo.save(discordUserId, next);
  return next;
}

export async function setWeeklyDm(
  repo: PrivacyRepository,
  discordUserId: string,
  weeklyDm: boolean,
): Promise<PrivacySettings> {
  const next = { ...(await privacyOf(repo, discordUserId)), weeklyDm };
  await repo.save(discordUserId, next);
  return next;
}

/** Whether others in this server may see anything derived from the member's listening. */
export const isVisibleIn = (settings: PrivacySettings, guildId: string) => settings.visibleIn.includes(guildId);
