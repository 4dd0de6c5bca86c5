import { UserError } from '../../core/errors.js';
import type { ServerPlaylistDeps, ServerPlaylistRecord, ServerTrack } from './ports.js';

export type {
  ServerMonth,
  ServerPlaylistAnnouncement,
  ServerPlaylistDeps,
  ServerPlaylistRecord,
  ServerPlaylistRepository,
  ServerTrack,
} from './ports.js';

export const SERVER_PLAYLIST_SIZE = 30;
/** At most this many tracks of one artist, so one member's obsession does not fill the playlist. */
const PER_ARTIST = 2;
const LEASE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export const serverPlaylistName = (guildName: string) => `Sounds of ${guildName}`;

/** 'YYYY-MM' of the UTC month `now` falls in, shifted by `by` months. */
export function monthKey(now: number, by = 0): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + by, 1)).toISOString().slice(0, 7);
}
/** [from, to) of a 'YYYY-MM' UTC month. */
export function monthRange(month: string): { from: number; to: number } {
  const from = Date.parse(`${month}-01T00:00:00Z`);
  const d = new Date(from);
  return { from, to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}
export const monthLabel = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Spreads artists: the top tracks in order, at most PER_ARTIST of one artist. */
export function pickServerTracks(tracks: readonly ServerTrack[], size = SERVER_PLAYLIST_SIZE): ServerTrack[] {
  const perArtist = new Map<string, number>();
  const out: ServerTrack[] = [];
  for (const t of tracks) {
    const n = perArtist.get(t.artistId) ?? 0;
    if (n >= PER_ARTIST) continue;
    perArtist.set(t.artistId, n + 1);
    out.push(t);
    if (out.length >= size) break;
  }
  return out;
}

async function fill(
  deps: ServerPlaylistDeps,
  record: ServerPlaylistRecord,
  range: { from: number; to: number },
  priority: 'interactive' | 'background',
) {
  const members = await deps.optedIn(record.guildId);
  const tracks = pickServerTracks(
    members.length ? await deps.repo.topTracks(members, range.from, range.to, SERVER_PLAYLIST_SIZE * 4) : [],
  );
  const spotify = await deps.playlists(record.ownerId, priority);
  const uris = tracks.map((t) => `spotify:track:${t.trackId}`);
  let playlistId = record.playlistId;
  if (playlistId && (await spotify.replace(playlistId, uris)) === 'gone') playlistId = undefined;
  if (!playlistId) {
    const guildName = deps.guildName(record.guildId) ?? 'this server';
    playlistId = await spotify.create(
      serverPlaylistName(guildName),
      `The most played tracks of ${guildName}’s members who share their listening, refreshed every month by Encore.`,
    );
    await deps.repo.setPlaylist(record.guildId, playlistId);
    await spotify.replace(playlistId, uris);
  }
  return { playlistId, tracks, members: new Set(members).size };
}

/**
 * /digest playlist on: the admin's own Spotify account holds it, filled at once with the last 30
 * days; from then on the first of each month refreshes it with the month before.
 */
export async function turnServerPlaylistOn(deps: ServerPlaylistDeps, guildId: string, adminId: string, now: number) {
  const existing = await deps.repo.get(guildId);
  if (existing?.enabled && existing.ownerId !== adminId)
    throw new UserError('serverPlaylist.ownedByOther', { ownerId: existing.ownerId });
  // Linked? Asked before anything is stored, so an admin without Spotify is told and nothing changes.
  await deps.playlists(adminId, 'interactive');
  const record = await deps.repo.enable(guildId, adminId, now);
  const filled = await fill(deps, record, { from: now - 30 * DAY_MS, to: now }, 'interactive');
  return { ...filled, guildName: deps.guildName(guildId) ?? 'this server' };
}

export async function turnServerPlaylistOff(deps: Pick<ServerPlaylistDeps, 'repo'>, guildId: string) {
  const record = await deps.repo.get(guildId);
  return { wasOn: await deps.repo.disable(guildId), playlistId: record?.playlistId };
}

/**
 * One server's month (the month before `now`), once across instances and restarts: a lease while
 * it works, the month's row as the record, Discord's nonce on the announcement (retried on a later
 * tick when it failed, without refreshing again). A server turned on
 * during that month is refreshed for it too; one turned on after it is not.
 */
export async function refreshServerPlaylist(
  deps: ServerPlaylistDeps,
  record: ServerPlaylistRecord,
  now: number,
): Promise<'refreshed' | 'none' | 'busy' | 'quiet' | 'owner-left'> {
  const month = monthKey(now, -1);
  const range = monthRange(month);
  if (!record.enabled || record.enabledAt >= range.to) return 'none';
  const key = `${record.guildId}:${month}`;
  if (!(await deps.leases.acquire('server-playlist', key, deps.instanceId, LEASE_MS, now))) return 'busy';
  try {
    const done = await deps.repo.month(record.guildId, month);
    if (done && (done.announced !== undefined || done.tracks === 0)) return 'none';
    const current = (await deps.repo.get(record.guildId)) ?? record;
    if (!current.enabled) return 'none';
    // An admin who left the server no longer gets its members' top tracks: the playlist stops.
    if (deps.ownerPresent && !(await deps.ownerPresent(record.guildId, current.ownerId))) {
      if (deps.stoppedMessage)
        await deps.announce(
          record.guildId,
          current.ownerId,
          deps.stoppedMessage(),
          deps.nonce(record.guildId, `${month}:owner-left`),
        );
      await deps.repo.disable(record.guildId);
      deps.log?.info({ guildId: record.guildId }, 'server playlist stopped: its owner left the server');
      return 'owner-left';
    }
    let filled: { playlistId: string; tracks: ServerTrack[]; members: number };
    if (done) {
      // Refreshed, but the announcement never went out (Discord failed, or a crash): announce only,
      // with the same nonce, so a post that did reach Discord minutes ago is not repeated.
      const members = await deps.optedIn(record.guildId);
      const top = members.length
        ? await deps.repo.topTracks(members, range.from, range.to, SERVER_PLAYLIST_SIZE * 4)
        : [];
      filled = { playlistId: done.playlistId, tracks: pickServerTracks(top), members: done.members };
    } else {
      filled = await fill(deps, current, range, 'background');
      const row = { month, playlistId: filled.playlistId, tracks: filled.tracks.length, members: filled.members };
      if (!(await deps.repo.recordMonth(record.guildId, row, now))) return 'none';
      // A month nobody shared any listening in is recorded (not retried hourly) but not announced.
      if (!filled.tracks.length) return 'quiet';
    }
    const message = deps.announcementMessage({
      guildId: record.guildId,
      guildName: deps.guildName(record.guildId) ?? 'this server',
      monthLabel: monthLabel(month),
      playlistId: filled.playlistId,
      tracks: filled.tracks,
      members: filled.members,
    });
    const where = await deps.announce(record.guildId, current.ownerId, message, deps.nonce(record.guildId, month));
    await deps.repo.markAnnounced(record.guildId, month, where);
    return 'refreshed';
  } finally {
    await deps.leases.release('server-playlist', key, deps.instanceId);
  }
}

/** The job's tick: every server playlist whose last month is not refreshed yet. */
export async function refreshDueServerPlaylists(deps: ServerPlaylistDeps, now: number) {
  const results: Record<string, string> = {};
  for (const record of await deps.repo.enabledList()) {
    if (!deps.ownsGuild(record.guildId)) continue;
    try {
      results[record.guildId] = await refreshServerPlaylist(deps, record, now);
    } catch (error) {
      deps.log?.warn({ guildId: record.guildId, err: error }, 'server playlist refresh failed; retried next tick');
      results[record.guildId] = 'failed';
    }
  }
  return results;
}
