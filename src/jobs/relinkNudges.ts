import { REFRESH_LIFETIME_MS, startLink, type LinkingDeps } from '../app/accounts/linking.js';
import type { Job } from './scheduler.js';

export const NUDGE_BEFORE_MS = 14 * 24 * 3_600_000;

export interface NudgeDeps {
  linking: LinkingDeps;
  /** Sends the member a DM carrying a fresh link; false when their DMs are closed. */
  sendRelink(discordUserId: string, url: string, endsAt: number): Promise<boolean>;
}

/**
 * Spotify ends every refresh token six months after consent. Two weeks before, each member gets
 * one DM with a fresh link, so their history keeps growing without a gap.
 */
export const relinkNudgesJob = ({ linking, sendRelink }: NudgeDeps): Job<unknown> => ({
  name: 'relink-nudges',
  schedule: '0 * * * *',
  async run(_shared, now) {
    for (const link of await linking.repo.listLinks()) {
      const endsAt = link.consentAt + REFRESH_LIFETIME_MS;
      if (link.status !== 'active' || link.nudgedAt || now.getTime() < endsAt - NUDGE_BEFORE_MS) continue;
      const { url } = await startLink(linking, link.discordUserId);
      await sendRelink(link.discordUserId, url, endsAt);
      await linking.repo.saveLink({ ...link, nudgedAt: now.getTime() });
    }
  },
});
