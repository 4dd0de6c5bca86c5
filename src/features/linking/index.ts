import { startLink } from '../../app/accounts/linking.js';
import { pendingLinkData, spotifyLinkData } from '../../app/accounts/personalDataKinds.js';
import { privacyOf } from '../../app/privacy/privacy.js';
import { linkedDm, relinkDm } from '../../discord/messages/accountMessages.js';
import { linkingRouter } from '../../http/linking/routes.js';
import { relinkNudgesJob } from '../../jobs/relinkNudges.js';
import type { FeatureFactory } from '../feature.js';
import { createAccounts } from './accounts.js';

/**
 * Account linking: one-time links from /link, the OAuth pages, the "Linked as …" DM with the
 * privacy choices, the nudge to renew before Spotify's six-month end, and the relink DM when a
 * link has ended.
 */
export const linkingFeature: FeatureFactory = ({ config, store, gateway, log, discord, services }) => {
  const sendRelink = async (discordUserId: string, url: string, endsAt?: number) =>
    (await discord.sendDm(discordUserId, relinkDm(url, endsAt))) === 'sent';
  const accounts = createAccounts({
    store,
    gateway,
    encryptionKeys: [config.ENCRYPTION_KEY],
    publicUrl: config.PUBLIC_URL,
    userCap: config.SPOTIFY_USER_CAP,
    async onLinkDied(discordUserId) {
      const { url } = await startLink(accounts.linking, discordUserId);
      await sendRelink(discordUserId, url);
    },
  });
  const router = linkingRouter({
    ...accounts.linking,
    log: log.child({ module: 'linking' }),
    async onLinked(result) {
      const guild = result.guildId
        ? { id: result.guildId, name: await discord.fetchGuildName(result.guildId) }
        : undefined;
      // Privacy comes after linking in the list; without it the DM shows the defaults (all off).
      const privacy = services.privacy
        ? await privacyOf(services.privacy, result.discordUserId)
        : { visibleIn: [], weeklyDm: false };
      await discord.sendDm(result.discordUserId, linkedDm(result, privacy, guild));
    },
  });
  return {
    name: 'linking',
    accounts,
    services: { accounts },
    routers: [router],
    jobs: [relinkNudgesJob({ linking: accounts.linking, sendRelink })],
    personalData: [spotifyLinkData(accounts.repo)],
    personalDataLast: [pendingLinkData(accounts.repo)],
  };
};
