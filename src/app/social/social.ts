import { createHash } from 'node:crypto';
import { compatibility, type Compatibility } from '../../core/taste/compat.js';
import { UserError } from '../../core/errors.js';
import { isVisibleIn, privacyOf } from '../privacy/privacy.js';
import { withdrawGone, withoutGoneMembers } from './membership.js';
import type {
  CatalogueItem,
  Crown,
  CrownChange,
  Day,
  ItemLookup,
  LeaderboardMetric,
  Listener,
  RankedMember,
  SocialPeriod,
  SocialDeps,
  WhoKnowsKind,
} from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';

export type { SocialDeps, SocialSettingsRepository } from './ports.js';

/** Like .fmbot: an artist's crown needs at least this many plays. */
export const DEFAULT_CROWN_THRESHOLD = 30;
export const MAX_CROWN_THRESHOLD = 100_000;
export const PAGE_SIZE = 10;
export const WHOKNOWS_SIZE = 10;
/** Discord shows at most 25 autocomplete choices. */
export const AUTOCOMPLETE_SIZE = 25;

const today = (now: number): Day => utcDay(now);

async function isVisible(deps: Pick<SocialDeps, 'privacy'>, memberId: string, guildId: string) {
  return isVisibleIn(await privacyOf(deps.privacy, memberId), guildId);
}

// ---- /leaderboard ----

export interface LeaderboardView {
  metric: LeaderboardMetric;
  period: SocialPeriod;
  /** 0-based, within [0, pages - 1]. */
  page: number;
  pages: number;
  /** How many members are ranked. */
  total: number;
  rows: RankedMember[];
  /** The member who asked: ranked (on this page or not), opted in without a value yet, or not opted in here. */
  you: { kind: 'ranked'; row: RankedMember; onPage: boolean } | { kind: 'unranked' } | { kind: 'hidden' };
}

export async function leaderboardPage(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; metric: LeaderboardMetric; period: SocialPeriod; page: number },
): Promise<LeaderboardView> {
  const { guildId, callerId, metric, period } = query;
  const day = today(deps.now());
  const pageOf = (ranked: RankedMember[]) => {
    const pages = Math.max(1, Math.ceil(ranked.length / PAGE_SIZE));
    const page = Math.min(Math.max(0, Math.trunc(query.page)), pages - 1);
    return { ranked, pages, page, rows: ranked.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) };
  };
  const { ranked, pages, page, rows } = await withoutGoneMembers(
    deps,
    guildId,
    async () => pageOf(await deps.repo.leaderboard(guildId, metric, period, day)),
    // The caller is here (they just asked): only the others on the page are checked.
    (view) => view.rows.map((r) => r.memberId).filter((id) => id !== callerId),
  );
  const mine = ranked.find((r) => r.memberId === callerId);
  const you: LeaderboardView['you'] = mine
    ? { kind: 'ranked', row: mine, onPage: rows.includes(mine) }
    : (await isVisible(deps, callerId, guildId))
      ? { kind: 'unranked' }
      : { kind: 'hidden' };
  return { metric, period, page, pages, total: ranked.length, rows, you };
}

// ---- /whoknows ----

export interface WhoKnowsView {
  item: CatalogueItem;
  listeners: Listener[];
  /** Artists only: who holds the crown now, after checking it. */
  crown?: Crown;
  /** Artists only: the crown changed hands just now. `fromId` is null when the one before is not shown here. */
  change?: CrownChange;
  threshold?: number;
}

/**
 * Autocomplete values are at most 100 characters, so a choice carries a short key of its item, not
 * its name: '~' and the id when that fits and is plain printable ASCII (Spotify ids, genre keys),
 * else '#' and the MD5 of the id (e.g. a long classical title imported by name). A key is resolved
 * on submit like a typed name: among what this server's visible members played only.
 */
const ID_KEY = '~';
const HASH_KEY = /^#([0-9a-f]{32})$/;
const PLAIN_ID = /^[\x21-\x7e]{1,99}$/;

export function pickKey(id: string): string {
  return PLAIN_ID.test(id) ? `${ID_KEY}${id}` : `#${createHash('md5').update(id, 'utf8').digest('hex')}`;
}

function parsePickKey(value: string): ItemLookup | undefined {
  const hash = HASH_KEY.exec(value);
  if (hash) return { idMd5: hash[1]! };
  return value.startsWith(ID_KEY) && value.length > 1 ? { id: value.slice(1) } : undefined;
}

/**
 * What a member hears when their pick or name finds nothing here, whatever the reason (nobody played
 * it, only a hidden member or a member of another server did): a picked key is never echoed back.
 */
export function unknownItemError(kind: WhoKnowsKind, typed: string): UserError {
  return parsePickKey(typed.trim())
    ? new UserError('social.unknownPick', { kind })
    : new UserError('social.unknownItem', { kind, name: typed.trim() });
}

/**
 * The item a member picked from autocomplete (its key) or typed (its id or exact name), found only
 * among what this server's visible members played, so that the answer tells nothing of anyone else.
 */
export async function resolveItem(
  deps: Pick<SocialDeps, 'repo'>,
  guildId: string,
  kind: WhoKnowsKind,
  typed: string,
): Promise<CatalogueItem> {
  const text = typed.trim();
  const picked = parsePickKey(text);
  // A name can start like an id key ('~Tilde'), so such a key that finds nothing is tried as a name
  // too; nothing is named like a hashed key.
  const lookups: ItemLookup[] = !text
    ? []
    : picked && 'idMd5' in picked
      ? [picked]
      : [picked ?? { id: text }, { name: text }];
  for (const lookup of lookups) {
    const item = await deps.repo.resolveInServer(guildId, kind, lookup);
    if (item) return item;
  }
  throw unknownItemError(kind, typed);
}

export async function whoKnows(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; kind: WhoKnowsKind; item: string | CatalogueItem; typed?: string },
): Promise<WhoKnowsView> {
  const { guildId, kind } = query;
  const item = typeof query.item === 'string' ? await resolveItem(deps, guildId, kind, query.item) : query.item;
  const listeners = await withoutGoneMembers(
    deps,
    guildId,
    () => deps.repo.whoKnows(guildId, kind, item.id, WHOKNOWS_SIZE),
    (rows) => rows.map((r) => r.memberId).filter((id) => id !== query.callerId),
  );
  // Its only listeners just turned out to have left: as unknown as a name nobody here played.
  if (listeners.length === 0)
    throw unknownItemError(kind, query.typed ?? (typeof query.item === 'string' ? query.item : item.name));
  if (kind !== 'artist') return { item, listeners };
  const threshold = await deps.settings.crownThreshold(guildId);
  const [changed] = await deps.repo.refreshCrowns(guildId, threshold, deps.now(), item.id);
  const crown = await deps.repo.crownOf(guildId, item.id);
  return { item, listeners, crown, change: changed && (await shownChange(deps, guildId, changed)), threshold };
}

/** A crown change as others may see it: the one it was taken from is named only while they are visible here. */
async function shownChange(deps: SocialDeps, guildId: string, change: CrownChange): Promise<CrownChange> {
  if (!change.fromId) return change;
  const visible =
    (await isVisible(deps, change.fromId, guildId)) && !(await withdrawGone(deps, guildId, [change.fromId])).length;
  return visible ? change : { ...change, fromId: null };
}

/** Autocomplete: the server's own items, each with the short key its choice submits. */
export async function whoKnowsChoices(
  deps: Pick<SocialDeps, 'repo'>,
  guildId: string,
  kind: WhoKnowsKind,
  typed: string,
): Promise<Array<{ item: CatalogueItem; value: string }>> {
  const items = await deps.repo.findInServer(guildId, kind, typed.trim(), AUTOCOMPLETE_SIZE);
  return items.slice(0, AUTOCOMPLETE_SIZE).map((item) => ({ item, value: pickKey(item.id) }));
}

// ---- crowns ----

export interface CrownsView {
  memberId: string;
  crowns: Crown[];
  threshold: number;
}

/** Whether a member may be shown here; refuses without saying more (not opted in, left, never linked alike). */
export async function assertShown(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; memberId: string },
): Promise<void> {
  const { guildId, callerId, memberId } = query;
  if (!(await isVisible(deps, memberId, guildId)))
    throw new UserError(memberId === callerId ? 'social.youAreHidden' : 'social.notOptedIn');
  if (memberId !== callerId && (await withdrawGone(deps, guildId, [memberId])).length)
    throw new UserError('social.notOptedIn');
}

/** A member's crowns in the server; someone not opted in here is refused without saying more. */
export async function crownsOf(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; memberId: string },
): Promise<CrownsView> {
  const { guildId, memberId } = query;
  await assertShown(deps, query);
  const [crowns, threshold] = await Promise.all([
    deps.repo.crownsOf(guildId, memberId),
    deps.settings.crownThreshold(guildId),
  ]);
  return { memberId, threshold, crowns: [...crowns].sort((a, b) => b.plays - a.plays || a.since - b.since) };
}

export async function setCrownThreshold(deps: SocialDeps, guildId: string, threshold: number): Promise<number> {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_CROWN_THRESHOLD)
    throw new UserError('social.badThreshold', { max: MAX_CROWN_THRESHOLD });
  await deps.settings.setCrownThreshold(guildId, threshold);
  // The new threshold applies at once: crowns below it fall, crowns now reachable are handed out.
  await deps.repo.refreshCrowns(guildId, threshold, deps.now());
  return threshold;
}

/** The scheduled refresh: every server's crowns against its threshold; what changed hands. */
export async function refreshServerCrowns(deps: SocialDeps, guildIds: readonly string[]): Promise<CrownChange[]> {
  const changes: CrownChange[] = [];
  for (const guildId of guildIds)
    changes.push(...(await deps.repo.refreshCrowns(guildId, await deps.settings.crownThreshold(guildId), deps.now())));
  return changes;
}

/**
 * The crown changes of [from, to) a digest may show: crowns are refreshed first, then only changes
 * whose new holder is still visible here are kept, the one before named only while visible too.
 */
export async function crownChangesForDigest(
  deps: SocialDeps,
  guildId: string,
  from: number,
  to: number,
): Promise<CrownChange[]> {
  await deps.repo.refreshCrowns(guildId, await deps.settings.crownThreshold(guildId), deps.now());
  const changes = await deps.repo.crownChanges(guildId, from, to);
  const visible = new Set(await deps.repo.visibleMembers(guildId));
  const named = [...new Set(changes.flatMap((c) => [c.toId, ...(c.fromId ? [c.fromId] : [])]))].filter((id) =>
    visible.has(id),
  );
  for (const id of await withdrawGone(deps, guildId, named)) visible.delete(id);
  return changes
    .filter((c) => visible.has(c.toId))
    .map((c) => (c.fromId && !visible.has(c.fromId) ? { ...c, fromId: null } : c));
}

// ---- /compat ----

export interface CompatView extends Compatibility {
  callerId: string;
  otherId: string;
}

const COMPAT_PROFILE_SIZE = 200;

/** /compat's refusals (one artist of each is enough to know there is something to compare), cheap enough to run before anything is posted in the channel. */
export async function assertComparable(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; otherId: string },
): Promise<void> {
  const { guildId, callerId, otherId } = query;
  if (otherId === callerId) throw new UserError('social.compatSelf');
  if (!(await isVisible(deps, callerId, guildId))) throw new UserError('social.youAreHidden');
  await assertShown(deps, { guildId, callerId, memberId: otherId });
  const [a, b] = await Promise.all([deps.repo.tasteProfile(callerId, 1), deps.repo.tasteProfile(otherId, 1)]);
  if (a.artists.length === 0) throw new UserError('social.compatNoHistory', { whose: 'yours' });
  if (b.artists.length === 0) throw new UserError('social.compatNoHistory', { whose: 'theirs' });
}

/**
 * The caller's and another member's taste compared. Someone who has not opted in here (or left,
 * or never linked) gets the same refusal, so the answer tells nothing about them.
 */
export async function compat(
  deps: SocialDeps,
  query: { guildId: string; callerId: string; otherId: string },
): Promise<CompatView> {
  const { callerId, otherId } = query;
  await assertComparable(deps, query);
  const [a, b] = await Promise.all([
    deps.repo.tasteProfile(callerId, COMPAT_PROFILE_SIZE),
    deps.repo.tasteProfile(otherId, COMPAT_PROFILE_SIZE),
  ]);
  return { callerId, otherId, ...compatibility(a, b) };
}

// ---- /chart scope:server ----

export type ServerChartKind = 'top-genres' | 'top-artists' | 'listening-clock';

export type ServerChartData =
  | { kind: 'top-genres'; genres: Array<{ genre: string; plays: number; ms: number }> }
  | { kind: 'top-artists'; artists: Array<{ id: string; name: string; plays: number; ms: number }> }
  | {
      kind: 'listening-clock';
      /** Minutes estimated as plays × the server's mean play length over the period (the clock counts plays). */
      cells: Array<{ weekday: number; hour: number; plays: number; minutes: number }>;
    };

const PERIOD_DAYS = { week: 7, month: 30, year: 365 } as const;
const DAY_MS = 86_400_000;
const SERVER_TOP = 12;

/**
 * A server chart over the members visible here. Aggregates name nobody, so membership is not
 * checked member by member (that is for the answers that show members).
 */
export async function serverChartData(
  deps: Pick<SocialDeps, 'repo' | 'now'>,
  guildId: string,
  kind: ServerChartKind,
  period: SocialPeriod,
): Promise<ServerChartData> {
  const now = deps.now();
  const startOfToday = Math.floor(now / DAY_MS) * DAY_MS;
  const from = period === 'all' ? 0 : startOfToday - (PERIOD_DAYS[period] - 1) * DAY_MS;
  const fromDay = today(from);
  const toDay = today(now);
  switch (kind) {
    case 'top-genres':
      return { kind, genres: await deps.repo.serverTopGenres(guildId, fromDay, toDay, SERVER_TOP) };
    case 'top-artists':
      return { kind, artists: await deps.repo.serverTopArtists(guildId, fromDay, toDay, SERVER_TOP) };
    case 'listening-clock': {
      const [cells, genres] = await Promise.all([
        deps.repo.serverClock(guildId, from, now + 1),
        deps.repo.serverTopGenres(guildId, fromDay, toDay, 1_000),
      ]);
      const plays = genres.reduce((sum, g) => sum + g.plays, 0);
      const meanMinutes = plays > 0 ? genres.reduce((sum, g) => sum + g.ms, 0) / plays / 60_000 : 0;
      return { kind, cells: cells.map((c) => ({ ...c, minutes: c.plays * meanMinutes })) };
    }
  }
}
