import { weekOf } from '../../core/history/index.js';
import type { MessageModel } from '../ports.js';
import type { LeasePort, PlaylistsFor } from './answers.js';
import type { SuggestService, Suggestion } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';

/**
 * The weekly "Encore Radar" (issue 16): off by default; once a member turns it on, one private
 * playlist in their account whose items are replaced in place every week with fresh suggestions,
 * and a DM when it changes. /unlink erases the record, which stops it.
 */
export interface RadarRecord {
  memberId: string;
  /** The server it was turned on in: the server radar's "members like you" come from there. */
  guildId?: string;
  enabled: boolean;
  enabledAt: number;
  playlistId?: string;
  /** What the playlist holds now, so next week's suggestions are fresh. */
  trackUris: string[];
  /** The UTC Monday (YYYY-MM-DD) of the last week it was filled for. */
  lastRefreshedWeek?: string;
  refreshedAt?: number;
}

export interface RadarRepository {
  get(memberId: string): Promise<RadarRecord | undefined>;
  /** Turns it on (keeping the playlist of an earlier time on); the record as it is now. */
  enable(memberId: string, guildId: string | undefined, now: number): Promise<RadarRecord>;
  /** Turns it off (the playlist stays in the member's account); false when it was not on. */
  disable(memberId: string): Promise<boolean>;
  setPlaylist(memberId: string, playlistId: string): Promise<void>;
  /**
   * Records week `week`'s fill unless a fill of that week (or a later one) is already recorded:
   * true for the one caller that recorded it. Across instances, this is what makes a week once.
   */
  recordWeek(memberId: string, week: string, uris: readonly string[], now: number): Promise<boolean>;
  /** Turned-on radars not yet filled for `week`. */
  due(week: string): Promise<RadarRecord[]>;
  deleteForUser(memberId: string): Promise<number>;
}

export interface RadarRefreshed {
  memberId: string;
  playlistId: string;
  week: string;
  suggestions: Suggestion[];
}

export interface RadarDeps {
  radar: RadarRepository;
  suggest: SuggestService;
  playlists: PlaylistsFor;
  leases: LeasePort;
  /** A DM carrying Discord's nonce: a retry after a crash returns the first message instead of a second. */
  sendDm(memberId: string, message: MessageModel, nonce: string): Promise<'sent' | 'closed'>;
  nonce(memberId: string, week: string): string;
  refreshedMessage(refreshed: RadarRefreshed): MessageModel;
  /**
   * Whether the member is still in the server their radar was turned on in: false only when Discord
   * says they are not. A server they left is not drawn on (its members, its plays).
   */
  stillIn?(guildId: string, memberId: string): Promise<boolean>;
  instanceId: string;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export const RADAR_SIZE = 20;
export const RADAR_NAME = 'Encore Radar';
const RADAR_DESCRIPTION =
  'Fresh suggestions from Encore every week: new releases and deeper cuts of your artists, your genres, and what listeners like you play.';
const LEASE_MS = 5 * 60_000;

/** The week a radar fill belongs to: the UTC Monday on or before `now`. */
export const radarWeek = (now: number) => weekOf(utcDay(now));

export type RadarOutcome =
  | { kind: 'refreshed'; playlistId: string; suggestions: Suggestion[] }
  | { kind: 'empty' }
  | { kind: 'none' }
  | { kind: 'busy' };

/**
 * Fills the member's radar for the week of `now`, once: a lease keeps two instances from filling it
 * at the same time, and the conditional record keeps every later tick (a restart, a second
 * instance) from filling it again. Replaces the items of the same playlist; creates it only when
 * there is none (or the member deleted it).
 */
export async function refreshRadar(
  deps: RadarDeps,
  memberId: string,
  now: number,
  options: { priority: 'interactive' | 'background'; notify: boolean },
): Promise<RadarOutcome> {
  const week = radarWeek(now);
  const key = `${memberId}:${week}`;
  if (!(await deps.leases.acquire('radar', key, deps.instanceId, LEASE_MS, now))) return { kind: 'busy' };
  try {
    const record = await deps.radar.get(memberId);
    if (!record?.enabled || (record.lastRefreshedWeek && record.lastRefreshedWeek >= week)) return { kind: 'none' };
    const previous = new Set(record.trackUris);
    const guildId =
      record.guildId && (!deps.stillIn || (await deps.stillIn(record.guildId, memberId))) ? record.guildId : undefined;
    const result = await deps.suggest.suggest({
      memberId,
      ...(guildId ? { guildId } : {}),
      // Last week's tracks may still be unplayed: ask for enough to leave them out.
      count: Math.min(50, RADAR_SIZE + previous.size),
      from: 'everything',
      now,
    });
    const fresh = result.suggestions.filter((s) => !previous.has(s.uri)).slice(0, RADAR_SIZE);
    if (!fresh.length) {
      // Nothing new this week: the playlist keeps last week's tracks, and the week counts as done.
      await deps.radar.recordWeek(memberId, week, record.trackUris, now);
      return { kind: 'empty' };
    }
    const uris = fresh.map((s) => s.uri);
    const spotify = await deps.playlists(memberId, options.priority);
    let playlistId = record.playlistId;
    if (playlistId && (await spotify.replace(playlistId, uris)) === 'gone') playlistId = undefined;
    if (!playlistId) {
      playlistId = await spotify.create(RADAR_NAME, RADAR_DESCRIPTION);
      await deps.radar.setPlaylist(memberId, playlistId);
      await spotify.replace(playlistId, uris);
    }
    if (!(await deps.radar.recordWeek(memberId, week, uris, now))) return { kind: 'none' };
    if (options.notify) {
      const message = deps.refreshedMessage({ memberId, playlistId, week, suggestions: fresh });
      await deps.sendDm(memberId, message, deps.nonce(memberId, week));
    }
    return { kind: 'refreshed', playlistId, suggestions: fresh };
  } finally {
    await deps.leases.release('radar', key, deps.instanceId);
  }
}

/** `/suggest radar:on`: turns it on and fills it at once (this week counts as filled). */
export async function turnRadarOn(
  deps: RadarDeps,
  memberId: string,
  guildId: string | undefined,
  now: number,
): Promise<{ record: RadarRecord; outcome: RadarOutcome }> {
  // Linked? Asked before anything is stored, so a member without Spotify is told and nothing is turned on.
  await deps.playlists(memberId, 'interactive');
  const before = await deps.radar.enable(memberId, guildId, now);
  const outcome = await refreshRadar(deps, memberId, now, { priority: 'interactive', notify: false });
  return { record: (await deps.radar.get(memberId)) ?? before, outcome };
}

export async function turnRadarOff(deps: Pick<RadarDeps, 'radar'>, memberId: string) {
  const record = await deps.radar.get(memberId);
  const wasOn = await deps.radar.disable(memberId);
  return { wasOn, playlistId: record?.playlistId };
}

/** The job's tick: every radar not yet filled this week. One member's failure never holds back the others. */
export async function refreshDueRadars(deps: RadarDeps, now: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const record of await deps.radar.due(radarWeek(now))) {
    try {
      results[record.memberId] = (
        await refreshRadar(deps, record.memberId, now, { priority: 'background', notify: true })
      ).kind;
    } catch (error) {
      // A dead link, Spotify's quota: left for a later tick (the week is not recorded).
      deps.log?.warn({ memberId: record.memberId, err: error }, 'radar refresh failed; retried next tick');
      results[record.memberId] = 'failed';
    }
  }
  return results;
}
