import { UserError } from '../../core/errors.js';
import { digestNonce, DAY_MS } from '../../core/digest/index.js';
import {
  buildServerYear,
  TRENDSETTER_TOP,
  yearDays,
  type MemberYear,
  type ServerYear,
} from '../../core/serverYear/index.js';
import { utcDay } from '../../core/time/utcDay.js';
import { POST_LEASE_MS, settingsOf } from '../digest/digest.js';
import type { DigestSettings } from '../digest/ports.js';
import type { MessageModel } from '../ports.js';
import type { ServerYearDeps } from './ports.js';

/** The ledger's "week" for a server's year: one outcome per (guild, year), beside the weekly ones. */
export const yearKey = (year: number) => `year-${year}`;

/**
 * The year `year` of the opted-in members of `guildId`, over UTC days 1 January … `toDay`. Nobody
 * else is read: not in a total, not in an award.
 */
export async function computeServerYear(
  deps: ServerYearDeps,
  guildId: string,
  year: number,
  toDay: string,
  fallbackZone = 'UTC',
): Promise<ServerYear> {
  const members = await deps.digest.reader.optedIn(guildId);
  const { fromDay, toDay: lastDay } = yearDays(year, toDay);
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS;
  const empty = {
    memberTotals: [],
    months: [],
    topArtists: [],
    topTracks: [],
    genres: [],
    members: [],
    firstPlays: [],
  };
  if (members.length === 0) return buildServerYear({ year, fromDay, toDay: lastDay, ...empty });
  const r = deps.reader;
  const [memberYears, months, artists, plays] = await Promise.all([
    r.memberYears(members, fromDay, lastDay),
    r.months(members, fromDay, lastDay),
    r.artists(members, fromDay, lastDay, TRENDSETTER_TOP),
    r.plays(members, from, to, fallbackZone, 5),
  ]);
  const firstPlays = await r.firstPlays(
    members,
    artists.top.map((a) => a.artistId),
    to,
  );
  const hours = new Map(plays.hours.map((h) => [h.memberId, h]));
  const favourites = new Map(artists.favourites.map((f) => [f.memberId, f]));
  const genres = new Map<string, number>();
  for (const m of memberYears) for (const g of m.genres) genres.set(g.genre, (genres.get(g.genre) ?? 0) + g.ms);
  return buildServerYear({
    year,
    fromDay,
    toDay: lastDay,
    memberTotals: memberYears.map(({ memberId, plays, ms }) => ({ memberId, plays, ms })),
    months,
    topArtists: artists.top,
    topTracks: plays.topTracks,
    genres: [...genres].map(([genre, ms]) => ({ genre, ms })),
    members: memberYears.map((m): MemberYear => {
      const favourite = favourites.get(m.memberId);
      return {
        memberId: m.memberId,
        nightMs: hours.get(m.memberId)?.nightMs ?? 0,
        earlyMs: hours.get(m.memberId)?.earlyMs ?? 0,
        newArtists: m.newArtists,
        genres: m.genres,
        ...(favourite ? { topArtist: { name: favourite.name, plays: favourite.plays } } : {}),
      };
    }),
    firstPlays,
  });
}

/** Everyone the year names: the award winners (the tops name no member). */
export const namedIn = (year: ServerYear) => [...new Set(year.awards.flatMap((a) => a.winners.map((w) => w.memberId)))];

async function yearMessage(
  deps: ServerYearDeps,
  guildId: string,
  year: ServerYear,
  notes: { posted?: boolean },
  accent?: number,
): Promise<MessageModel> {
  const names = await deps.digest.discord.memberNames(guildId, namedIn(year));
  const guildName = deps.digest.discord.guildName(guildId) ?? 'this server';
  const card = await deps.card(year, names);
  const extra = { ...(card ? { card } : {}), ...(accent === undefined ? {} : { accent }) };
  return deps.messages.year(year, { names, guildName, ...extra }, notes);
}

/** /wrapped scope:server period:year: the calendar year so far, today included. */
export async function showServerYear(deps: ServerYearDeps, guildId: string | null, now: number): Promise<MessageModel> {
  if (!guildId) throw new UserError('serverYear.serverOnly');
  const settings = await deps.digest.settings.get(guildId);
  const today = utcDay(now);
  const year = await computeServerYear(deps, guildId, Number(today.slice(0, 4)), today, settings?.timeZone);
  return yearMessage(deps, guildId, year, {}, settings?.accent);
}

/** Turns the one-off December post on or off (beside the weekly digest's settings; needs its channel). */
export async function setServerYearPost(
  deps: ServerYearDeps,
  guildId: string,
  adminId: string,
  on: boolean,
  now: number,
): Promise<DigestSettings> {
  const current = await settingsOf(deps.digest, guildId, now);
  if (on && !current.channelId) throw new UserError('digest.noChannel');
  const next = { ...current, configuredBy: adminId, serverYear: on };
  await deps.digest.settings.save(next);
  return next;
}

/** The local date and hour of `now` in `timeZone`. */
function localClock(now: number, timeZone: string): { year: number; month: number; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', hour: 'numeric', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { year: Number(parts.year), month: Number(parts.month), hour: Number(parts.hour) };
}

/**
 * One server's year post: due in December (server time) from the digest's hour on, posted exactly
 * once per server and year across instances and crashes, by the digest's own means: a lease on
 * (guild, year), a nonce from it, and the outcome recorded in the digest's ledger.
 */
export async function runServerYearPost(
  deps: ServerYearDeps,
  settings: DigestSettings,
  now: number,
): Promise<'posted' | 'none' | 'busy' | 'no-access'> {
  if (!settings.serverYear || !settings.channelId) return 'none';
  const local = localClock(now, settings.timeZone);
  if (local.month !== 12 || local.hour < settings.hour) return 'none';
  const key = yearKey(local.year);
  const { ledger, discord, instanceId } = deps.digest;
  if (await ledger.outcome(settings.guildId, key)) return 'none';
  if (!(await ledger.lease(settings.guildId, key, instanceId, POST_LEASE_MS, now))) return 'busy';
  try {
    if (await ledger.outcome(settings.guildId, key)) return 'none';
    const access = await discord.access(settings.guildId, settings.channelId);
    if (access === 'unknown-channel' || access.missing.length) {
      await ledger.record(settings.guildId, key, 'no-access', now);
      return 'no-access';
    }
    // Whole days only: the year up to yesterday (UTC), the same for every instance that retries.
    const toDay = utcDay(now - DAY_MS);
    const year = await computeServerYear(deps, settings.guildId, local.year, toDay, settings.timeZone);
    const message = await yearMessage(deps, settings.guildId, year, { posted: true }, settings.accent);
    const posted = await discord.post(settings.channelId, message, digestNonce(settings.guildId, key));
    if (!posted.ok) {
      await ledger.record(settings.guildId, key, 'no-access', now);
      return 'no-access';
    }
    await ledger.record(settings.guildId, key, `message:${posted.messageId}`, now);
    return 'posted';
  } finally {
    await ledger.unlease(settings.guildId, key, instanceId);
  }
}

/** The job's tick: every server with the year post on, on this instance's shards. */
export async function postDueServerYears(deps: ServerYearDeps, now: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const settings of await deps.digest.settings.list()) {
    if (!settings.serverYear || !deps.digest.discord.ownsGuild(settings.guildId)) continue;
    try {
      results[settings.guildId] = await runServerYearPost(deps, settings, now);
    } catch (error) {
      deps.digest.log?.warn({ guildId: settings.guildId, err: error }, 'server year failed; retried next tick');
      results[settings.guildId] = 'failed';
    }
  }
  return results;
}
