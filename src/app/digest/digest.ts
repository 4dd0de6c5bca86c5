import { UserError } from '../../core/errors.js';
import {
  DAY_MS,
  buildServerDigest,
  canonicalTimeZone,
  digestNonce,
  digestPeriod,
  dueDecision,
  latestOccurrence,
  nextOccurrence,
  shiftOccurrence,
  type QuietWeek,
  type ServerDigest,
  type Weekday,
  withMilestones,
} from '../../core/digest/index.js';
import type { MessageModel } from '../ports.js';
import { DEFAULT_SCHEDULE, type DigestDeps, type DigestNotes, type DigestSettings } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';

/** How long one instance may hold a week's post before another may retry it (with the same nonce). */
export const POST_LEASE_MS = 90_000;
const TOP = 5;

/** Outcomes recorded per (guild, week). */
export const OUTCOME = { skipped: 'skipped', noAccess: 'no-access' } as const;

/** Members a digest names: its leaderboard and highlights. */
const namedIn = (digest: ServerDigest) => [
  ...digest.leaderboard.map((r) => r.memberId),
  ...digest.highlights.flatMap((h) =>
    h.kind === 'climber' || h.kind === 'diverse'
      ? [h.memberId]
      : h.kind === 'crown'
        ? [h.toId, ...(h.fromId ? [h.fromId] : [])]
        : h.kind === 'milestone'
          ? [h.memberId]
          : [],
  ),
];

/**
 * The digest of the opted-in members of `guildId` for the seven days before `week` (a local date).
 * With server social on, the members it would name are checked: one who left the server is
 * withdrawn and the digest computed again without them.
 */
export async function computeDigest(
  deps: Pick<DigestDeps, 'reader' | 'social' | 'milestones'>,
  guildId: string,
  week: string,
  timeZone = 'UTC',
): Promise<ServerDigest | QuietWeek> {
  for (let round = 0; ; round++) {
    const digest = await computeDigestOnce(deps, guildId, week, timeZone);
    if (!deps.social || digest.kind === 'quiet' || round === 2) return digest;
    if ((await deps.social.withdrawGone(guildId, [...new Set(namedIn(digest))])).length === 0) return digest;
  }
}

async function computeDigestOnce(
  deps: Pick<DigestDeps, 'reader' | 'social' | 'milestones'>,
  guildId: string,
  week: string,
  timeZone: string,
): Promise<ServerDigest | QuietWeek> {
  const members = await deps.reader.optedIn(guildId);
  if (members.length === 0) return buildServerDigest(emptyInput(week));
  const p = digestPeriod(week);
  const last = digestPeriod(shiftWeek(week, -7));
  const { reader } = deps;
  const [thisWeek, lastWeek, topArtists, topTracks, genres, lastWeekGenres, discoveries, clock, memberGenres, crowns] =
    await Promise.all([
      reader.memberWeeks(members, p.fromDay, p.toDay),
      reader.memberWeeks(members, last.fromDay, last.toDay),
      reader.topArtists(members, p.fromDay, p.toDay, TOP),
      reader.topTracks(members, p.from, p.to, TOP),
      reader.genres(members, p.fromDay, p.toDay),
      reader.genres(members, last.fromDay, last.toDay),
      reader.discoveries(members, p.fromDay, p.toDay, 1),
      reader.clock(members, p.from, p.to, timeZone),
      reader.memberGenres(members, p.fromDay, p.toDay),
      deps.social?.crownChanges(guildId, p.from, p.to) ?? [],
    ]);
  const optedIn = new Set(members);
  const digest = buildServerDigest({
    week,
    thisWeek,
    lastWeek,
    topArtists,
    topTracks,
    genres,
    lastWeekGenres,
    discoveries,
    clock,
    memberGenres,
    crownChanges: crowns
      .filter((c) => optedIn.has(c.toId))
      .map((c) => (c.fromId && !optedIn.has(c.fromId) ? { ...c, fromId: null } : c)),
  });
  if (digest.kind === 'quiet' || !deps.milestones) return digest;
  // Only the leaderboard's members (opted in, at most ten) are asked: cheap at any server size.
  const { milestones } = deps;
  const crossed = await Promise.all(
    digest.leaderboard.map(async (r) => [r.memberId, await milestones(r.memberId, week)] as const),
  );
  return withMilestones(digest, new Map(crossed));
}

const shiftWeek = (week: string, days: number) => utcDay(Date.parse(`${week}T00:00:00Z`) + days * DAY_MS);
const emptyInput = (week: string) => ({
  week,
  thisWeek: [],
  lastWeek: [],
  topArtists: [],
  topTracks: [],
  genres: [],
  lastWeekGenres: [],
  discoveries: [],
});

/** The digest as a message: names of the leaderboard's members, the genre chart, the notes. */
export async function digestMessage(
  deps: DigestDeps,
  guildId: string,
  digest: ServerDigest | QuietWeek,
  notes: DigestNotes,
  accent?: number,
): Promise<MessageModel> {
  const guildName = deps.discord.guildName(guildId) ?? 'this server';
  const tint = accent === undefined ? {} : { accent };
  if (digest.kind === 'quiet')
    return deps.messages.digest(digest, { names: new Map(), guildName, charts: [], ...tint }, notes);
  const [names, charts] = await Promise.all([
    deps.discord.memberNames(guildId, [...new Set(namedIn(digest))]),
    deps.charts(digest),
  ]);
  return deps.messages.digest(digest, { names, guildName, charts, ...tint }, notes);
}

/** /digest preview: the last seven days (today included), right now, for the admin's eyes only. */
export async function previewDigest(deps: DigestDeps, guildId: string, now: number): Promise<MessageModel> {
  const week = shiftWeek(utcDay(now), 1);
  const { timeZone, accent } = await settingsOf(deps, guildId, now);
  const digest = await computeDigest(deps, guildId, week, timeZone);
  return digestMessage(deps, guildId, digest, { preview: true }, accent);
}

/** Tells the configuring admin once that the channel can no longer be posted in (DM, else the server). */
async function warnAdmin(
  deps: DigestDeps,
  settings: DigestSettings,
  access: { missing: string[] } | 'unknown-channel',
) {
  if (!settings.channelId || settings.warnedChannelId === settings.channelId) return;
  await deps.settings.save({ ...settings, warnedChannelId: settings.channelId });
  const message = deps.messages.permissionLost(
    deps.discord.guildName(settings.guildId) ?? 'your server',
    settings.channelId,
    access === 'unknown-channel' ? access : access.missing,
  );
  if (settings.configuredBy && (await deps.discord.sendDm(settings.configuredBy, message)) === 'sent') return;
  // DMs closed (or nobody to tell): a channel of the server Encore can still post in.
  if (!(await deps.discord.postInServer(settings.guildId, message)))
    deps.log?.warn({ guildId: settings.guildId }, 'digest: the admin could not be told (DMs closed, no channel)');
}

/**
 * One server's due week at `now`: posted exactly once across instances and crashes. A lease keeps
 * two instances from composing it at once; the post carries a nonce derived from (guild, week), so
 * a retry after a crash between posting and recording gets Discord's first message back; the
 * recorded outcome keeps every later tick from posting it again.
 */
export async function runGuildDigest(
  deps: DigestDeps,
  settings: DigestSettings,
  now: number,
): Promise<'posted' | 'noted' | 'skipped' | 'no-access' | 'none' | 'busy'> {
  if (!settings.enabled || !settings.channelId) return 'none';
  const handled = new Map<string, string | undefined>();
  const latest = latestOccurrence(settings, now);
  handled.set(latest.week, await deps.ledger.outcome(settings.guildId, latest.week));
  const decision = dueDecision(settings, now, (w) => handled.get(w) !== undefined, settings.enabledAt);
  if (decision.kind === 'none') return 'none';
  const { week } = decision.occurrence;
  if (decision.kind === 'skip') {
    await deps.ledger.record(settings.guildId, week, OUTCOME.skipped, now);
    deps.log?.warn({ guildId: settings.guildId, week }, 'digest more than a day late: skipped');
    return 'skipped';
  }
  if (!(await deps.ledger.lease(settings.guildId, week, deps.instanceId, POST_LEASE_MS, now))) return 'busy';
  try {
    if (await deps.ledger.outcome(settings.guildId, week)) return 'none';
    const access = await deps.discord.access(settings.guildId, settings.channelId);
    if (access === 'unknown-channel' || access.missing.length) {
      await deps.ledger.record(settings.guildId, week, OUTCOME.noAccess, now);
      await warnAdmin(deps, settings, access);
      return 'no-access';
    }
    const previous = shiftOccurrence(settings, decision.occurrence, -1);
    // Skipped (over a day late), or never handled at all (Encore was down for more than a week).
    const previousOutcome = await deps.ledger.outcome(settings.guildId, previous.week);
    const missedPrevious =
      previous.postAt >= settings.enabledAt && (previousOutcome === undefined || previousOutcome === OUTCOME.skipped);
    const digest = await computeDigest(deps, settings.guildId, week, settings.timeZone);
    const notes = { late: decision.late, missedPrevious };
    const message = await digestMessage(deps, settings.guildId, digest, notes, settings.accent);
    const posted = await deps.discord.post(settings.channelId, message, digestNonce(settings.guildId, week));
    if (!posted.ok) {
      await deps.ledger.record(settings.guildId, week, OUTCOME.noAccess, now);
      await warnAdmin(deps, settings, posted.reason === 'unknown-channel' ? 'unknown-channel' : { missing: [] });
      return 'no-access';
    }
    await deps.ledger.record(settings.guildId, week, `message:${posted.messageId}`, now);
    // Posting works again: a later loss of permissions is worth telling the admin about once more.
    if (settings.warnedChannelId) await deps.settings.save({ ...settings, warnedChannelId: undefined });
    return digest.kind === 'quiet' ? 'noted' : 'posted';
  } finally {
    await deps.ledger.unlease(settings.guildId, week, deps.instanceId);
  }
}

/** The job's tick: every enabled server whose post time has passed for a week not yet handled. */
export async function postDueDigests(deps: DigestDeps, now: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const settings of await deps.settings.list()) {
    if (!deps.discord.ownsGuild(settings.guildId)) continue;
    try {
      results[settings.guildId] = await runGuildDigest(deps, settings, now);
    } catch (error) {
      // One server's failure (its channel, a query) must not keep the others' digests back.
      deps.log?.warn({ guildId: settings.guildId, err: error }, 'digest failed; retried next tick');
      results[settings.guildId] = 'failed';
    }
  }
  return results;
}

// ---- /digest settings ----

export async function settingsOf(deps: Pick<DigestDeps, 'settings'>, guildId: string, now: number) {
  return (
    (await deps.settings.get(guildId)) ?? {
      guildId,
      enabled: false,
      ...DEFAULT_SCHEDULE,
      enabledAt: now,
    }
  );
}

export type DigestChange =
  | { what: 'channel'; channelId: string }
  | { what: 'weekday'; weekday: Weekday }
  | { what: 'hour'; hour: number }
  | { what: 'timezone'; timeZone: string }
  | { what: 'enabled'; enabled: boolean }
  /** "#RRGGBB" (the # optional), or "default" for Encore's own colour. */
  | { what: 'accent'; colour: string };

/** An accent as the admin typed it: the colour's integer, null for "default", undefined when it is no colour. */
export function parseAccent(input: string): number | null | undefined {
  const value = input.trim().toLowerCase();
  if (value === 'default') return null;
  const hex = /^#?([0-9a-f]{6})$/.exec(value)?.[1];
  return hex === undefined ? undefined : parseInt(hex, 16);
}

/**
 * Applies one /digest setting for `adminId`. A channel Encore cannot post in is refused with what
 * is missing; a new schedule counts from now (a week whose time passed under the old one is not due).
 */
export async function changeDigest(
  deps: Pick<DigestDeps, 'settings' | 'discord'>,
  guildId: string,
  adminId: string,
  change: DigestChange,
  now: number,
): Promise<DigestSettings> {
  const current = await settingsOf(deps, guildId, now);
  let next: DigestSettings = { ...current, configuredBy: adminId };
  switch (change.what) {
    case 'channel': {
      const access = await deps.discord.access(guildId, change.channelId);
      if (access === 'unknown-channel') throw new UserError('digest.unknownChannel');
      if (access.missing.length) throw new UserError('digest.missingPermissions', { missing: access.missing });
      next = { ...next, channelId: change.channelId, warnedChannelId: undefined };
      break;
    }
    case 'weekday':
      next = { ...next, weekday: change.weekday, enabledAt: now };
      break;
    case 'hour':
      if (!Number.isInteger(change.hour) || change.hour < 0 || change.hour > 23)
        throw new UserError('digest.badHour', { hour: change.hour });
      next = { ...next, hour: change.hour, enabledAt: now };
      break;
    case 'timezone': {
      const timeZone = canonicalTimeZone(change.timeZone.trim());
      if (!timeZone) throw new UserError('digest.unknownTimeZone', { input: change.timeZone });
      next = { ...next, timeZone, enabledAt: now };
      break;
    }
    case 'enabled':
      if (change.enabled && !next.channelId) throw new UserError('digest.noChannel');
      next = { ...next, enabled: change.enabled, enabledAt: change.enabled && !current.enabled ? now : next.enabledAt };
      break;
    case 'accent': {
      const accent = parseAccent(change.colour);
      if (accent === undefined) throw new UserError('digest.badAccent', { input: change.colour });
      next = { ...next, accent: accent ?? undefined };
      break;
    }
  }
  await deps.settings.save(next);
  return next;
}

/**
 * When the server's next digest posts: the week just due when it is still to be posted (it came
 * after the digest was turned on, is within the catch-up day and was not handled), else the next
 * post time. Undefined when the digest is off or has no channel. A schedule whose hour has already
 * passed this week therefore answers next week's time, which /digest tells the admin at once.
 */
export async function nextDigestAt(
  deps: Pick<DigestDeps, 'ledger'>,
  settings: DigestSettings,
  now: number,
): Promise<number | undefined> {
  if (!settings.enabled || !settings.channelId) return undefined;
  const decision = dueDecision(settings, now, () => false, settings.enabledAt);
  if (decision.kind === 'post' && !(await deps.ledger.outcome(settings.guildId, decision.occurrence.week)))
    return Math.max(now, decision.occurrence.postAt);
  return nextOccurrence(settings, now).postAt;
}
