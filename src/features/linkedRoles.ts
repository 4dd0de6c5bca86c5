import { setTimeout as sleep } from 'node:timers/promises';
import { linkedRolesData, type LinkedRolesDeps } from '../app/linkedRoles/linkedRoles.js';
import { createRoleConnectionsApi } from '../discord/roleConnections.js';
import { linkedRolesRouter } from '../http/linkedRoles/routes.js';
import { refreshLinkedRolesJob } from '../jobs/linkedRoles.js';
import { createTokenCipher } from '../store/accounts/tokenCipher.js';
import {
  createRoleConnectionsRepository,
  createRoleFiguresReader,
} from '../store/linkedRoles/roleConnectionsRepository.js';
import { accountsOf, type FeatureFactory } from './feature.js';

/** The least time between two pushes in one refresh run: at most one a second, whatever Discord's bucket allows. */
const PUSH_SPACING_MS = 1_000;

/**
 * Linked Roles (issue 26): a server's roles can require Encore figures (hours this month, crowns,
 * days since linking). The member connects through Discord's OAuth2 from the role
 * (GET /linked-roles); a job keeps the values current; /unlink clears them. Off without
 * DISCORD_CLIENT_SECRET (the code exchange needs it).
 */
export const linkedRolesFeature: FeatureFactory = (context) => {
  const { config, store, log, services } = context;
  if (!config.DISCORD_CLIENT_SECRET) return { name: 'linked-roles' };
  const accounts = accountsOf(context);
  const now = services.now ?? Date.now;
  const deps: LinkedRolesDeps = {
    repo: createRoleConnectionsRepository(store, createTokenCipher([config.ENCRYPTION_KEY])),
    figures: createRoleFiguresReader(store.pool, async (id) => (await accounts.repo.getLink(id))?.consentAt),
    discord: createRoleConnectionsApi({
      apiUrl: config.DISCORD_API_URL,
      applicationId: config.DISCORD_APP_ID,
      clientSecret: config.DISCORD_CLIENT_SECRET,
      redirectUri: `${config.PUBLIC_URL}/linked-roles/callback`,
    }),
  };
  const featureLog = log.child({ module: 'linked-roles' });
  return {
    name: 'linked-roles',
    routers: [
      linkedRolesRouter({ ...deps, log: featureLog, now, secureCookie: config.PUBLIC_URL.startsWith('https:') }),
    ],
    jobs: [refreshLinkedRolesJob(deps, { spacingMs: PUSH_SPACING_MS, sleep: (ms) => sleep(ms) }, featureLog)],
    personalData: [linkedRolesData(deps, now)],
  };
};
