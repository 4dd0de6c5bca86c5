import { randomBytes, timingSafeEqual } from 'node:crypto';
import { roleMetadataValues, sameMetadata, type RoleMetadataValues } from '../../core/linkedRoles.js';
import { erased, type PersonalDataKind } from '../accounts/personalData.js';
import {
  DiscordGrantRevokedError,
  DiscordRateLimitedError,
  type DiscordGrant,
  type DiscordRoleConnectionsApi,
  type RoleConnectionsRepository,
  type RoleFiguresReader,
} from './ports.js';

export * from './ports.js';

/** The name Discord shows on the member's profile beside the connection. */
export const PLATFORM_NAME = 'Encore';
/** How long the authorize round trip may take: the state and its browser cookie expire together. */
export const CONNECT_STATE_TTL_MS = 10 * 60_000;
/** A token this close to its end is refreshed before use, so a push never races its expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;
export const REQUIRED_SCOPES = ['role_connections.write', 'identify'] as const;

export interface LinkedRolesDeps {
  repo: RoleConnectionsRepository;
  figures: RoleFiguresReader;
  discord: DiscordRoleConnectionsApi;
}

const randomSecret = () => randomBytes(24).toString('base64url');

/** GET /linked-roles: a fresh state for Discord's authorize page, and the nonce the browser keeps in a cookie. */
export async function beginRoleConnect(
  deps: LinkedRolesDeps,
  now: number,
): Promise<{ url: string; browserNonce: string }> {
  const state = randomSecret();
  const browserNonce = randomSecret();
  await deps.repo.saveState(state, { discordUserId: '', browserNonce }, now + CONNECT_STATE_TTL_MS);
  return { url: deps.discord.authorizeUrl(state), browserNonce };
}

export type RoleConnectResult =
  | { kind: 'connected'; discordUserId: string; values: RoleMetadataValues }
  | { kind: 'invalid-state' }
  | { kind: 'denied' }
  | { kind: 'missing-scope' }
  | { kind: 'failed' };

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * GET /linked-roles/callback: the state must be one we issued, unused, unexpired and issued to this
 * browser (its cookie), so a code can't be planted in someone else's browser. Then the code is
 * exchanged, the member identified, the grant stored and their values pushed at once.
 */
export async function completeRoleConnect(
  deps: LinkedRolesDeps,
  input: { state?: string; code?: string; error?: string; browserNonce?: string },
  now: number,
): Promise<RoleConnectResult> {
  if (!input.state) return { kind: 'invalid-state' };
  const record = await deps.repo.consumeState(input.state, now);
  if (!record || !input.browserNonce || !sameSecret(record.browserNonce, input.browserNonce))
    return { kind: 'invalid-state' };
  if (input.error || !input.code) return { kind: 'denied' };
  let grant: DiscordGrant;
  try {
    grant = await deps.discord.exchangeCode(input.code, now);
  } catch {
    return { kind: 'failed' };
  }
  const granted = grant.scope.split(' ');
  if (!REQUIRED_SCOPES.every((scope) => granted.includes(scope))) return { kind: 'missing-scope' };
  const user = await deps.discord.currentUser(grant.accessToken).catch(() => undefined);
  if (!user) return { kind: 'failed' };
  const previous = await deps.repo.get(user.id);
  await deps.repo.save({
    discordUserId: user.id,
    username: user.globalName ?? user.username,
    grant,
    connectedAt: previous?.connectedAt ?? now,
  });
  // Saved before the push: if Discord refuses it now (a 429), the refresh job pushes on its next tick.
  const pushed = await pushRoleValues(deps, user.id, now, { force: true }).catch(() => undefined);
  return pushed?.kind === 'pushed'
    ? { kind: 'connected', discordUserId: user.id, values: pushed.values }
    : { kind: 'failed' };
}

/** A grant that works at `now`: refreshed (and stored) when near its end. */
async function freshGrant(deps: LinkedRolesDeps, discordUserId: string, grant: DiscordGrant, now: number) {
  if (grant.expiresAt - REFRESH_MARGIN_MS > now) return grant;
  const refreshed = await deps.discord.refresh(grant, now);
  const current = await deps.repo.get(discordUserId);
  if (current) await deps.repo.save({ ...current, grant: refreshed });
  return refreshed;
}

export type PushResult =
  { kind: 'pushed'; values: RoleMetadataValues; waitMs: number } | { kind: 'unchanged' } | { kind: 'not-connected' };

/**
 * Pushes the member's current values when they differ from what Discord holds (always with
 * `force`). A grant Discord refuses ends the connection: the member connects again from the role.
 */
export async function pushRoleValues(
  deps: LinkedRolesDeps,
  discordUserId: string,
  now: number,
  options: { force?: boolean } = {},
): Promise<PushResult> {
  const connection = await deps.repo.get(discordUserId);
  if (!connection) return { kind: 'not-connected' };
  const values = roleMetadataValues(await deps.figures.figuresOf(discordUserId, now));
  if (!options.force && sameMetadata(connection.lastPushed, values)) return { kind: 'unchanged' };
  try {
    const grant = await freshGrant(deps, discordUserId, connection.grant, now);
    const { waitMs } = await deps.discord.pushRoleConnection(grant.accessToken, {
      platform_name: PLATFORM_NAME,
      platform_username: connection.username,
      metadata: values,
    });
    await deps.repo.markPushed(discordUserId, values, now);
    return { kind: 'pushed', values, waitMs };
  } catch (error) {
    if (!(error instanceof DiscordGrantRevokedError)) throw error;
    await deps.repo.delete(discordUserId);
    return { kind: 'not-connected' };
  }
}

export interface RefreshPacing {
  /** The least time between two pushes, whatever Discord's headers allow. */
  spacingMs: number;
  sleep(ms: number): Promise<void>;
}

/**
 * The refresh job: every connected member's values, pushed only where they changed, one push at a
 * time and `spacingMs` apart (longer when Discord's bucket says so). A 429 waits its retry_after and
 * tries once more; a second 429 ends the run, and the next tick carries on where Discord allows.
 */
export async function refreshRoleConnections(
  deps: LinkedRolesDeps,
  now: number,
  pacing: RefreshPacing,
): Promise<{ pushed: number; unchanged: number; gone: number; rateLimited: boolean }> {
  const counts = { pushed: 0, unchanged: 0, gone: 0, rateLimited: false };
  let waitBeforeNext = 0;
  for (const memberId of await deps.repo.listMembers()) {
    let result: PushResult | undefined;
    for (let attempt = 0; attempt < 2 && !result; attempt++) {
      if (waitBeforeNext > 0) await pacing.sleep(waitBeforeNext);
      waitBeforeNext = 0;
      try {
        result = await pushRoleValues(deps, memberId, now);
      } catch (error) {
        if (!(error instanceof DiscordRateLimitedError)) throw error;
        waitBeforeNext = error.retryAfterMs;
      }
    }
    if (!result) return { ...counts, rateLimited: true };
    if (result.kind === 'pushed') {
      counts.pushed++;
      waitBeforeNext = Math.max(pacing.spacingMs, result.waitMs);
    } else counts[result.kind === 'unchanged' ? 'unchanged' : 'gone']++;
  }
  return counts;
}

/**
 * /unlink: Discord is told to hold no values (so no role stays granted on Encore's word), then the
 * grant and the pushed values are deleted. A grant Discord already refuses is deleted all the same.
 */
export const linkedRolesData = (deps: LinkedRolesDeps, clock: () => number): PersonalDataKind => ({
  name: 'linked-roles',
  async erase(discordUserId) {
    const connection = await deps.repo.get(discordUserId);
    if (!connection) return [];
    try {
      const grant = await freshGrant(deps, discordUserId, connection.grant, clock());
      await deps.discord.pushRoleConnection(grant.accessToken, {
        platform_name: PLATFORM_NAME,
        platform_username: connection.username,
        metadata: {},
      });
    } catch (error) {
      if (!(error instanceof DiscordGrantRevokedError)) throw error;
    }
    return erased('linked-roles', await deps.repo.delete(discordUserId));
  },
});
