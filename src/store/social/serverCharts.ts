import type pg from 'pg';
import type { SocialRepository } from '../../app/social/ports.js';
import { createRollupReader } from '../history/rollupReader.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The server charts: the rollups of the server's visible members, through the one rollup reader. */
export function createServerCharts(
  pool: pg.Pool,
): Pick<SocialRepository, 'serverTopArtists' | 'serverTopGenres' | 'serverClock'> {
  const rollups = createRollupReader(pool);
  return {
    async serverTopArtists(guildId, fromDay, toDay, limit) {
      const artists = await rollups.topArtists({ guildId }, fromDay, toDay, limit);
      return artists.map((a) => ({ id: a.artistId, name: a.name, plays: a.plays, ms: a.ms }));
    },
    serverTopGenres: (guildId, fromDay, toDay, limit) => rollups.topGenres({ guildId }, fromDay, toDay, limit),
    async serverClock(guildId, from, to) {
      const { rows } = await pool.query<{ weekday: number; hour: number; plays: string }>(
        `SELECT extract(isodow FROM p.played_at AT TIME ZONE 'UTC')::int - 1 AS weekday,
                extract(hour FROM p.played_at AT TIME ZONE 'UTC')::int AS hour, count(*) AS plays
         FROM plays p JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = p.member_id
         WHERE p.played_at >= $2 AND p.played_at < $3
         GROUP BY 1, 2 ORDER BY 1, 2`,
        [guildId, iso(from), iso(to)],
      );
      return rows.map((r) => ({ weekday: r.weekday, hour: r.hour, plays: Number(r.plays) }));
    },
  };
}
