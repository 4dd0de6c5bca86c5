import type pg from 'pg';
import type { SocialRepository } from '../../app/social/ports.js';
import { inTransaction } from '../pool.js';
import { createCrownRepository } from './crowns.js';
import { createLeaderboards } from './leaderboards.js';
import { createServerCatalogue } from './serverCatalogue.js';
import { createServerCharts } from './serverCharts.js';
import { createVisibilityRepository } from './visibility.js';

/**
 * Server social over the history tables and the totals of 0004_social.sql (written with the plays
 * by socialTotalsWriter.ts): visibility, leaderboards, /whoknows and /compat, crowns, server charts.
 */
export function createSocialRepository(pool: pg.Pool): SocialRepository {
  return {
    ...createVisibilityRepository(pool),
    ...createLeaderboards(pool),
    ...createServerCatalogue(pool),
    ...createCrownRepository(pool),
    ...createServerCharts(pool),
    async deleteForUser(memberId) {
      return inTransaction(pool, async (db) => {
        let n = 0;
        for (const [sql, params] of [
          [`DELETE FROM guild_visibility WHERE member_id = $1`, [memberId]],
          [`DELETE FROM crowns WHERE holder_id = $1`, [memberId]],
          [`DELETE FROM crown_events WHERE from_id = $1 OR to_id = $1`, [memberId]],
        ] as const)
          n += (await db.query(sql, [...params])).rowCount ?? 0;
        return n;
      });
    },
  };
}
