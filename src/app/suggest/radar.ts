import { weekOf } from '../../core/history/index.js';
import type { RadarDeps, RadarRecord, Suggestion } from './ports.js';
import { utcDay } from '../../core/time/utcDay.js';

export type { RadarDeps, RadarRecord, RadarRefreshed, RadarRepository } from './ports.js';

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
