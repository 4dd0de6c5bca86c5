import { randomBytes } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import type { ConnectDeps, SourceError, SourceKind } from './ports.js';

export type { ConnectDeps, LastfmStateRecord } from './ports.js';

/** Last.fm's web-auth tokens live 60 minutes; Encore's half of the round trip needs far less. */
export const LASTFM_STATE_TTL_MS = 30 * 60_000;
/** What a ListenBrainz user token looks like (a UUID); anything else is refused before any request. */
const LB_TOKEN_SHAPE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const STATE_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

const isSourceError = (error: unknown, failure?: SourceError['failure']): error is SourceError =>
  error instanceof Error &&
  error.name !== 'UserError' &&
  typeof (error as Partial<SourceError>).failure === 'string' &&
  (failure === undefined || (error as SourceError).failure === failure);

async function admitted(deps: ConnectDeps, discordUserId: string, now: number): Promise<void> {
  const admission = await deps.admit(discordUserId, now);
  if (!admission.admitted) throw new UserError('link.rateLimited', { retryAt: admission.retryAt });
}

async function save(
  deps: ConnectDeps,
  connection: { discordUserId: string; source: SourceKind; userName: string; guildId?: string },
  now: number,
): Promise<{ userName: string }> {
  const outcome = await deps.links.link(connection.discordUserId, connection.source, connection.userName, now);
  if (outcome === 'taken') throw new UserError('sources.accountTaken', { source: connection.source });
  await deps.onConnected(connection);
  return { userName: connection.userName };
}

/**
 * Connects ListenBrainz with the member's user token: the token proves the account is theirs, is
 * sent once to validate-token and then dropped (never stored, logged or put in an error); only the
 * user name it belongs to is kept.
 */
export async function connectListenBrainz(
  deps: ConnectDeps,
  discordUserId: string,
  token: string,
  guildId?: string,
): Promise<{ userName: string }> {
  if (!deps.listenbrainz) throw new UserError('command.notConfigured', { what: 'ListenBrainz' });
  const now = deps.now();
  await admitted(deps, discordUserId, now);
  const trimmed = token.trim();
  if (!LB_TOKEN_SHAPE.test(trimmed)) throw new UserError('sources.listenbrainzTokenInvalid');
  let userName: string;
  try {
    ({ userName } = await deps.listenbrainz.validateToken(trimmed));
  } catch (error) {
    if (isSourceError(error, 'not-found')) throw new UserError('sources.listenbrainzTokenInvalid');
    if (isSourceError(error)) throw new UserError('sources.unavailable', { source: 'listenbrainz' });
    throw error;
  }
  return save(deps, { discordUserId, source: 'listenbrainz', userName, ...(guildId ? { guildId } : {}) }, now);
}

/** The Last.fm approval page for this member: Last.fm sends the browser back to Encore's callback. */
export async function startLastfmConnect(
  deps: ConnectDeps,
  discordUserId: string,
  guildId?: string,
): Promise<{ url: string; expiresAt: number }> {
  if (!deps.lastfm) throw new UserError('command.notConfigured', { what: 'Last.fm' });
  const now = deps.now();
  await admitted(deps, discordUserId, now);
  const state = randomBytes(24).toString('base64url');
  const expiresAt = now + LASTFM_STATE_TTL_MS;
  await deps.lastfmStates.put(state, { discordUserId, ...(guildId ? { guildId } : {}) }, expiresAt);
  return { url: deps.lastfm.authUrl(`${deps.publicUrl}/lastfm/callback?state=${state}`), expiresAt };
}

export type LastfmCallbackResult =
  | { kind: 'linked'; discordUserId: string; userName: string; guildId?: string }
  /** The state is unknown, used or expired: the page asks the member to run /link again. */
  | { kind: 'expired' }
  /** Last.fm refused the token (replayed, foreign, not approved, too old). */
  | { kind: 'refused' }
  | { kind: 'taken' }
  | { kind: 'unavailable' };

/**
 * GET /lastfm/callback?state=…&token=…: the state (single use) says which member started, the token
 * is exchanged with a signed auth.getSession for the account's name. The session key is not kept:
 * public listens need only the operator's API key.
 */
export async function finishLastfmConnect(
  deps: ConnectDeps,
  query: { state?: string; token?: string },
): Promise<LastfmCallbackResult> {
  if (!deps.lastfm) return { kind: 'unavailable' };
  const now = deps.now();
  if (!query.state || !STATE_SHAPE.test(query.state)) return { kind: 'expired' };
  const started = await deps.lastfmStates.take(query.state, now);
  if (!started) return { kind: 'expired' };
  if (!query.token || !/^[A-Za-z0-9_-]{1,128}$/.test(query.token)) return { kind: 'refused' };
  let userName: string;
  try {
    ({ userName } = await deps.lastfm.getSession(query.token));
  } catch (error) {
    if (error instanceof Error && error.name === 'LastfmAuthError') return { kind: 'refused' };
    if (isSourceError(error)) return { kind: 'unavailable' };
    throw error;
  }
  try {
    await save(deps, { ...started, source: 'lastfm', userName }, now);
  } catch (error) {
    if (error instanceof UserError && error.id === 'sources.accountTaken') return { kind: 'taken' };
    throw error;
  }
  return { kind: 'linked', ...started, userName };
}
