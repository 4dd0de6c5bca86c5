import {
  ALL_TIME_FROM,
  CATCH_UP_MS,
  WRAPPED_ARTIST_POOL,
  WRAPPED_PERIOD_DAYS,
  type WrappedPeriod,
  DAY_MS,
  buildMemberWrapped,
  digestNonce,
  digestPeriod,
  latestOccurrence,
  type MemberWrapped,
} from '../../core/digest/index.js';
import type { MessageModel } from '../ports.js';
import { UserError } from '../../core/errors.js';
import type { DigestDeps, DigestLedger, DigestReader } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';
import type { Milestone } from '../../core/streaks/index.js';

/** The personal weekly wrapped goes out Monday 09:00 in the member's own time zone. */
export const WRAPPED_SCHEDULE = { weekday: 1, hour: 9 } as const;
const LEASE_MS = 90_000;
/** The ledger's "week" under which the moment Encore first saw a member's yes is kept. */
const SINCE = 'since';

export interface WeeklyWrappedDeps {
  reader: DigestReader;
  ledger: DigestLedger;
  /** Members who said yes to the weekly DM (/privacy). */
  weeklyDmMembers(): Promise<string[]>;
  timeZoneOf(memberId: string): Promise<string | undefined>;
  /** A DM with Discord's enforce_nonce, so a retry after a crash does not send it twice. */
  sendDm(memberId: string, message: MessageModel, nonce: string): Promise<'sent' | 'closed'>;
  message(wrapped: MemberWrapped, card?: { png: Buffer; altText: string }, milestones?: Milestone[]): MessageModel;
  /** What the member crossed that week (streaks feature); none when it is off. */
  milestones?(memberId: string, week: string): Promise<Milestone[]>;
  card(wrapped: MemberWrapped): Promise<{ png: Buffer; altText: string } | undefined>;
  instanceId: string;
  log?: { warn(obj: object, msg: string): void };
}

/** The ledger's key for a member's DMs: never a server id (those are digits only). */
export const wrappedKey = (memberId: string) => `dm:${memberId}`;

export async function memberWrapped(
  reader: DigestReader,
  memberId: string,
  week: string,
): Promise<MemberWrapped | undefined> {
  const p = digestPeriod(week);
  const last = digestPeriod(utcDay(Date.parse(`${week}T00:00:00Z`) - 7 * DAY_MS));
  const ids = [memberId];
  const [[now], [before], topArtists, topTracks, genres, discoveries] = await Promise.all([
    reader.memberWeeks(ids, p.fromDay, p.toDay),
    reader.memberWeeks(ids, last.fromDay, last.toDay),
    reader.topArtists(ids, p.fromDay, p.toDay, WRAPPED_ARTIST_POOL),
    reader.topTracks(ids, p.from, p.to, 3),
    reader.genres(ids, p.fromDay, p.toDay),
    reader.discoveries(ids, p.fromDay, p.toDay, 100),
  ]);
  return buildMemberWrapped({
    week,
    ms: now?.ms ?? 0,
    plays: now?.plays ?? 0,
    lastWeekMs: before?.ms ?? 0,
    topArtists,
    topTracks,
    genres,
    discoveries: discoveries.length,
  });
}

/**
 * /wrapped: the member's own week, month (30 days), year (365 days) or all time up to today (UTC
 * days), compared with the period of the same length before it. Undefined when there is nothing.
 * All time starts on the member's first play (`firstPlayAt`), so that is the date it names.
 */
export async function wrappedFor(
  reader: DigestReader,
  memberId: string,
  period: WrappedPeriod,
  now: number,
  firstPlayAt?: number,
): Promise<MemberWrapped | undefined> {
  const day = utcDay;
  const toDay = day(now);
  const length = period === 'all' ? undefined : WRAPPED_PERIOD_DAYS[period];
  const fromDay = length ? day(now - (length - 1) * DAY_MS) : ALL_TIME_FROM;
  const ids = [memberId];
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  const [[current], [before], topArtists, topTracks, genres, discoveries] = await Promise.all([
    reader.memberWeeks(ids, fromDay, toDay),
    length
      ? reader.memberWeeks(ids, day(from - length * DAY_MS), day(from - DAY_MS))
      : Promise.resolve([] as Array<{ ms: number }>),
    reader.topArtists(ids, fromDay, toDay, WRAPPED_ARTIST_POOL),
    reader.topTracks(ids, from, to, 3),
    reader.genres(ids, fromDay, toDay),
    reader.discoveries(ids, fromDay, toDay, 10_000),
  ]);
  const wrapped = buildMemberWrapped({
    week: day(to),
    ms: current?.ms ?? 0,
    plays: current?.plays ?? 0,
    lastWeekMs: before?.ms ?? 0,
    topArtists,
    topTracks,
    genres,
    discoveries: length ? discoveries.length : 0,
  });
  if (!wrapped) return undefined;
  // "All time" is counted from before Spotify existed; it is named by the first play, when known.
  const shownFrom = length ? fromDay : firstPlayAt !== undefined ? day(firstPlayAt) : undefined;
  return { ...wrapped, period, ...(shownFrom ? { fromDay: shownFrom } : {}), toDay };
}

/** /wrapped's answer: the card and embed, or a UserError when the period holds no plays. */
export async function showWrapped(
  deps: Pick<DigestDeps, 'reader' | 'messages' | 'wrappedCard'>,
  memberId: string,
  period: WrappedPeriod,
  now: number,
  firstPlayAt?: (memberId: string) => Promise<number | undefined>,
): Promise<MessageModel> {
  const first = period === 'all' && firstPlayAt ? await firstPlayAt(memberId) : undefined;
  const wrapped = await wrappedFor(deps.reader, memberId, period, now, first);
  if (!wrapped) throw new UserError('wrapped.nothing', { period });
  return deps.messages.wrapped(wrapped, await deps.wrappedCard(wrapped));
}

/**
 * Every member who wants the weekly DM gets last week once, at Monday 09:00 in their zone (or within
 * a day after, if Encore was down); an empty week sends nothing. Same exactly-once recipe as the
 * server digest: a lease, a nonce per (member, week), the outcome recorded for good.
 */
export async function sendWeeklyWrapped(deps: WeeklyWrappedDeps, now: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const memberId of await deps.weeklyDmMembers()) {
    try {
      const timeZone = (await deps.timeZoneOf(memberId)) ?? 'UTC';
      const { week, postAt } = latestOccurrence({ ...WRAPPED_SCHEDULE, timeZone }, now);
      const key = wrappedKey(memberId);
      // The first week is the first Monday after Encore first saw the member's yes, never one before.
      if (await deps.ledger.record(key, SINCE, String(now), now)) continue;
      const since = Number(await deps.ledger.outcome(key, SINCE));
      if (postAt < since || (await deps.ledger.outcome(key, week))) continue;
      if (now - postAt > CATCH_UP_MS) {
        await deps.ledger.record(key, week, 'skipped', now);
        continue;
      }
      if (!(await deps.ledger.lease(key, week, deps.instanceId, LEASE_MS, now))) continue;
      try {
        if (await deps.ledger.outcome(key, week)) continue;
        const wrapped = await memberWrapped(deps.reader, memberId, week);
        if (!wrapped) {
          await deps.ledger.record(key, week, 'quiet', now);
          results[memberId] = 'quiet';
          continue;
        }
        const sent = await deps.sendDm(
          memberId,
          deps.message(wrapped, await deps.card(wrapped), await deps.milestones?.(memberId, week)),
          digestNonce(key, week),
        );
        await deps.ledger.record(key, week, sent, now);
        results[memberId] = sent;
      } finally {
        await deps.ledger.unlease(key, week, deps.instanceId);
      }
    } catch (error) {
      deps.log?.warn({ err: error }, 'weekly wrapped DM failed; retried next tick');
      results[memberId] = 'failed';
    }
  }
  return results;
}
