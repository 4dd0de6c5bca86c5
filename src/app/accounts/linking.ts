import { randomBytes } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import type { LinkingDeps } from './ports.js';

export type { LinkingDeps } from './ports.js';

export const LINK_TTL_MS = 10 * 60_000;
/** Spotify ends a refresh token six months after consent. */
export const REFRESH_LIFETIME_MS = 182 * 24 * 3_600_000;
const LINK_REQUESTS_PER_WINDOW = 3;

const randomToken = () => randomBytes(24).toString('base64url');
/**
 * Link tokens and states are 32 base64url characters. Anything else (a NUL byte, a megabyte, a
 * stray escape) can't be one of ours: it is refused here, before it reaches Postgres.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
export const looksLikeToken = (value: string | undefined): value is string =>
  typeof value === 'string' && TOKEN_SHAPE.test(value);
const redirectUri = (deps: LinkingDeps) => `${deps.publicUrl}/callback`;

/**
 * /link: a one-time link to PUBLIC_URL/link/<token>, valid ten minutes; three per ten minutes.
 * `discordName` is how Discord shows the member: the link's page names the account it links, so
 * whoever opens a forwarded link sees it isn't theirs. Relink links (no interaction, no name) use
 * the name kept from the member's last link.
 */
export async function startLink(
  deps: LinkingDeps,
  discordUserId: string,
  guildId?: string,
  discordName?: string,
): Promise<{ url: string; expiresAt: number }> {
  const now = deps.now?.() ?? Date.now();
  const admission = await deps.repo.admitLinkRequest(discordUserId, now, LINK_TTL_MS, LINK_REQUESTS_PER_WINDOW);
  if (!admission.admitted) throw new UserError('link.rateLimited', { retryAt: admission.retryAt });
  const token = randomToken();
  const name = discordName ?? (await deps.repo.getLink(discordUserId))?.discordName;
  await deps.repo.issueLinkToken(token, discordUserId, guildId, now + LINK_TTL_MS, name);
  return { url: `${deps.publicUrl}/link/${token}`, expiresAt: now + LINK_TTL_MS };
}

export type LinkPreview = { kind: 'confirm'; discordUserId: string; discordName?: string } | { kind: 'invalid-link' };

/**
 * GET /link/:token: who the link is for, so the page can say so before anything happens. It
 * changes nothing: link scanners, prefetchers and someone the link was forwarded to may open it.
 */
export async function previewLink(deps: LinkingDeps, linkToken: string): Promise<LinkPreview> {
  if (!looksLikeToken(linkToken)) return { kind: 'invalid-link' };
  const link = await deps.repo.peekLinkToken(linkToken, deps.now?.() ?? Date.now());
  return link
    ? {
        kind: 'confirm',
        discordUserId: link.discordUserId,
        ...(link.discordName ? { discordName: link.discordName } : {}),
      }
    : { kind: 'invalid-link' };
}

export type BeginResult = { kind: 'redirect'; url: string } | { kind: 'invalid-link' };

/** POST /link/:token (the page's Continue): the token is spent, a PKCE pair and a single-use state are bound to the member. */
export async function beginAuthorization(deps: LinkingDeps, linkToken: string): Promise<BeginResult> {
  if (!looksLikeToken(linkToken)) return { kind: 'invalid-link' };
  const now = deps.now?.() ?? Date.now();
  const link = await deps.repo.consumeLinkToken(linkToken, now);
  if (!link) return { kind: 'invalid-link' };
  const state = randomToken();
  const pkce = deps.spotify.createPkce();
  const record = {
    discordUserId: link.discordUserId,
    ...(link.guildId ? { guildId: link.guildId } : {}),
    ...(link.discordName ? { discordName: link.discordName } : {}),
    verifier: pkce.verifier,
  };
  // The state gets its own ten minutes: time enough to sign in to Spotify, not to be replayed later.
  await deps.repo.saveState(state, record, now + LINK_TTL_MS);
  return {
    kind: 'redirect',
    url: deps.spotify.authorizationUrl({ state, codeChallenge: pkce.challenge, redirectUri: redirectUri(deps) }),
  };
}

export type CallbackResult =
  | {
      kind: 'linked';
      discordUserId: string;
      guildId?: string;
      discordName?: string;
      displayName: string;
      renewBy: number;
    }
  | {
      kind:
        | 'denied'
        | 'bad-state'
        | 'missing-code'
        | 'exchange-failed'
        | 'not-allowlisted'
        | 'user-cap'
        | 'already-linked-elsewhere';
    };

/**
 * GET /callback: checks everything before storing anything, so a bad or hostile request changes
 * nothing. The state is spent on first use, whatever happens next (HEAD never gets here).
 */
export async function completeAuthorization(
  deps: LinkingDeps,
  query: { state?: string; code?: string; error?: string },
): Promise<CallbackResult> {
  const now = deps.now?.() ?? Date.now();
  const state = looksLikeToken(query.state) ? await deps.repo.consumeState(query.state, now) : undefined;
  if (!state) return { kind: 'bad-state' };
  if (query.error) return { kind: 'denied' };
  if (!query.code) return { kind: 'missing-code' };
  let tokens;
  try {
    tokens = await deps.spotify.exchangeCode({
      code: query.code,
      codeVerifier: state.verifier,
      redirectUri: redirectUri(deps),
    });
  } catch {
    return { kind: 'exchange-failed' };
  }
  let profile;
  try {
    profile = await deps.spotify.profile(tokens);
  } catch (error) {
    if (error instanceof UserError && error.id === 'spotify.notAllowlisted') return { kind: 'not-allowlisted' };
    return { kind: 'exchange-failed' };
  }
  const owner = await deps.repo.discordUserForAccount(profile.accountId);
  if (owner && owner !== state.discordUserId) return { kind: 'already-linked-elsewhere' };
  const existing = await deps.repo.getLink(state.discordUserId);
  if (!existing && !owner && (await deps.repo.countLinks()) >= deps.userCap) return { kind: 'user-cap' };
  await deps.repo.saveTokens(state.discordUserId, tokens);
  const discordName = state.discordName ? { discordName: state.discordName } : {};
  await deps.repo.saveLink({
    discordUserId: state.discordUserId,
    spotifyAccountId: profile.accountId,
    displayName: profile.displayName,
    consentAt: now,
    status: 'active',
    ...discordName,
  });
  return {
    kind: 'linked',
    discordUserId: state.discordUserId,
    guildId: state.guildId,
    ...discordName,
    displayName: profile.displayName,
    renewBy: now + REFRESH_LIFETIME_MS,
  };
}

/** Whether Spotify's places are all taken for this member (a member already linked keeps theirs). */
export async function spotifyPlacesFull(deps: LinkingDeps, discordUserId: string): Promise<boolean> {
  if (await deps.repo.getLink(discordUserId)) return false;
  return (await deps.repo.countLinks()) >= deps.userCap;
}
