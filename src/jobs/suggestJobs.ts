import { refreshDueRadars, type RadarDeps } from '../app/suggest/radar.js';
import { refreshDueServerPlaylists, type ServerPlaylistDeps } from '../app/suggest/serverPlaylist.js';
import type { Job } from './scheduler.js';

/** Hourly: a week's radars and a month's server playlist go out in the first hour of their period. */
export const RADAR_SCHEDULE = '17 * * * *';
export const SERVER_PLAYLIST_SCHEDULE = '23 * * * *';

/** Every instance may tick: the per-member lease and the week's conditional record decide. */
export function refreshRadarsJob(deps: RadarDeps): Job<unknown> {
  return {
    name: 'refresh-radars',
    schedule: RADAR_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await refreshDueRadars(deps, now.getTime());
    },
  };
}

export function refreshServerPlaylistsJob(deps: ServerPlaylistDeps): Job<unknown> {
  return {
    name: 'refresh-server-playlists',
    schedule: SERVER_PLAYLIST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await refreshDueServerPlaylists(deps, now.getTime());
    },
  };
}
