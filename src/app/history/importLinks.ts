import { randomBytes } from 'node:crypto';
import { NotLinkedError, UserError } from '../../core/errors.js';
import type { ImportLinkDeps, ImportLinkRecord } from './ports.js';

export type { ImportLinkDeps, ImportLinkRecord, ImportTokens } from './ports.js';

/** /import links: like /link's, private, ten minutes, single use. */
export const IMPORT_LINK_TTL_MS = 10 * 60_000;
/** Links a member may ask for per ten minutes, as /link allows: each one can carry an upload of up to 1 GiB. */
export const IMPORT_LINKS_PER_WINDOW = 3;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
/** Anything that can't be one of our tokens (a NUL byte, a megabyte) is refused before it reaches Postgres. */
export const looksLikeImportToken = (value: unknown): value is string =>
  typeof value === 'string' && TOKEN_SHAPE.test(value);

const nowOf = (deps: Pick<ImportLinkDeps, 'now'>) => deps.now?.() ?? Date.now();

/**
 * /import: a one-time upload link for a linked member; three per ten minutes. `discordName` is how
 * Discord shows the member: the upload page names the account the history goes into, so whoever
 * opens a forwarded link sees it isn't theirs.
 */
export async function startImport(
  deps: ImportLinkDeps,
  discordUserId: string,
  discordName?: string,
): Promise<{ url: string; expiresAt: number }> {
  if (!(await deps.isLinked(discordUserId))) throw new NotLinkedError();
  const now = nowOf(deps);
  const admission = await deps.tokens.admit(discordUserId, now, IMPORT_LINK_TTL_MS, IMPORT_LINKS_PER_WINDOW);
  if (!admission.admitted) throw new UserError('import.rateLimited', { retryAt: admission.retryAt });
  const token = randomBytes(24).toString('base64url');
  const record: ImportLinkRecord = { discordUserId, ...(discordName ? { discordName } : {}) };
  await deps.tokens.issue(token, record, now + IMPORT_LINK_TTL_MS);
  return { url: `${deps.publicUrl}/import/${token}`, expiresAt: now + IMPORT_LINK_TTL_MS };
}

/**
 * Who an upload link is for, without spending it: the page's GET, and the upload's checks before
 * anything is spooled (a refused upload leaves the link as it was).
 */
export async function previewImport(
  deps: Pick<ImportLinkDeps, 'tokens' | 'now'>,
  token: string,
  at?: number,
): Promise<ImportLinkRecord | undefined> {
  if (!looksLikeImportToken(token)) return undefined;
  return deps.tokens.peek(token, at ?? nowOf(deps));
}

/**
 * Spends the link, once, when the import starts (after the upload arrived whole). `at` is when the
 * upload began: a slow upload that started while the link was valid is not refused for the
 * minutes it took. An expired or reused link is a UserError.
 */
export async function claimImport(
  deps: Pick<ImportLinkDeps, 'tokens' | 'now'>,
  token: string,
  at?: number,
): Promise<ImportLinkRecord> {
  const record = looksLikeImportToken(token) ? await deps.tokens.take(token, at ?? nowOf(deps)) : undefined;
  if (!record) throw new UserError('import.linkExpired');
  return record;
}

/**
 * An import that stored nothing (a damaged file, an upload that isn't an export, a fault of ours)
 * gives the link back for another ten minutes, so the member can try again with the right files.
 * Not after /unlink: that erased the member's links, and an upload under way must not bring one back.
 */
export async function restoreImport(
  deps: Pick<ImportLinkDeps, 'tokens' | 'now' | 'isLinked'>,
  token: string,
  record: ImportLinkRecord,
): Promise<boolean> {
  if (!looksLikeImportToken(token) || !(await deps.isLinked(record.discordUserId))) return false;
  await deps.tokens.issue(token, record, nowOf(deps) + IMPORT_LINK_TTL_MS);
  return true;
}
