import type pg from 'pg';
import type { Crown, CrownChange, SocialRepository } from '../../app/social/ports.js';
import { inTransaction } from '../pool.js';

const iso = (ms: number) => new Date(ms).toISOString();

interface CrownRow {
  guild_id: string;
  artist_id: string;
  artist_name: string;
  holder_id: string;
  plays: number;
  since: Date;
}
const toCrown = (r: CrownRow): Crown => ({
  guildId: r.guild_id,
  artistId: r.artist_id,
  artistName: r.artist_name,
  holderId: r.holder_id,
  plays: r.plays,
  since: r.since.getTime(),
});
interface ChangeRow {
  guild_id: string;
  artist_id: string;
  artist_name: string;
  from_id: string | null;
  to_id: string;
  plays: number;
  at: Date;
}
const toChange = (r: ChangeRow): CrownChange => ({
  guildId: r.guild_id,
  artistId: r.artist_id,
  artistName: r.artist_name,
  fromId: r.from_id,
  toId: r.to_id,
  plays: r.plays,
  at: r.at.getTime(),
});

/** Crowns (the top listener of an artist in a server) and the changes of hands the digest tells. */
export function createCrownRepository(
  pool: pg.Pool,
): Pick<SocialRepository, 'refreshCrowns' | 'crownsOf' | 'crownOf' | 'crownChanges'> {
  return {
    async refreshCrowns(guildId, threshold, now, artistId) {
      return inTransaction(pool, async (db) => {
        // One refresh per server at a time: two would both see the old holder and record the change twice.
        await db.query(`SELECT pg_advisory_xact_lock(hashtext('encore:crowns'), hashtext($1))`, [guildId]);
        const { rows } = await db.query<ChangeRow>(
          `WITH best AS (
             SELECT t.artist_id, t.member_id, t.plays, max(t.plays) OVER (PARTITION BY t.artist_id) AS top
             FROM member_artist_totals t
             JOIN guild_visibility v ON v.guild_id = $1 AND v.member_id = t.member_id
             WHERE t.plays >= $2 AND ($4::text IS NULL OR t.artist_id = $4)
           ), winners AS (
             -- Among the members tied at the top, the current holder keeps it; else the lowest id.
             SELECT DISTINCT ON (b.artist_id) b.artist_id, b.member_id, b.plays, c.holder_id AS previous
             FROM best b LEFT JOIN crowns c ON c.guild_id = $1 AND c.artist_id = b.artist_id
             WHERE b.plays = b.top
             ORDER BY b.artist_id, (b.member_id = c.holder_id) DESC NULLS LAST, b.member_id
           ), vacated AS (
             DELETE FROM crowns c WHERE c.guild_id = $1 AND ($4::text IS NULL OR c.artist_id = $4)
               AND NOT EXISTS (SELECT 1 FROM winners w WHERE w.artist_id = c.artist_id)
           ), upserted AS (
             INSERT INTO crowns (guild_id, artist_id, holder_id, plays, since)
             SELECT $1, w.artist_id, w.member_id, w.plays, $3 FROM winners w
             WHERE w.previous IS DISTINCT FROM w.member_id
                OR w.plays <> (SELECT c.plays FROM crowns c WHERE c.guild_id = $1 AND c.artist_id = w.artist_id)
             ORDER BY w.artist_id
             ON CONFLICT (guild_id, artist_id) DO UPDATE SET holder_id = EXCLUDED.holder_id, plays = EXCLUDED.plays,
               since = CASE WHEN crowns.holder_id = EXCLUDED.holder_id THEN crowns.since ELSE EXCLUDED.since END
           )
           INSERT INTO crown_events (guild_id, artist_id, from_id, to_id, plays, at)
           SELECT $1, w.artist_id, w.previous, w.member_id, w.plays, $3 FROM winners w
           WHERE w.previous IS DISTINCT FROM w.member_id ORDER BY w.artist_id
           RETURNING guild_id, artist_id, (SELECT name FROM artists WHERE id = artist_id) AS artist_name, from_id, to_id, plays, at`,
          [guildId, threshold, iso(now), artistId ?? null],
        );
        return rows.map(toChange).sort((a, b) => (a.artistId < b.artistId ? -1 : a.artistId > b.artistId ? 1 : 0));
      });
    },
    async crownsOf(guildId, memberId) {
      // Read through the visibility mirror: opting out hides crowns at once, before the next refresh.
      const { rows } = await pool.query<CrownRow>(
        `SELECT c.guild_id, c.artist_id, a.name AS artist_name, c.holder_id, c.plays, c.since
         FROM crowns c JOIN artists a ON a.id = c.artist_id
         JOIN guild_visibility v ON v.guild_id = c.guild_id AND v.member_id = c.holder_id
         WHERE c.guild_id = $1 AND c.holder_id = $2 ORDER BY c.plays DESC, a.name, c.artist_id`,
        [guildId, memberId],
      );
      return rows.map(toCrown);
    },
    async crownOf(guildId, artistId) {
      const { rows } = await pool.query<CrownRow>(
        `SELECT c.guild_id, c.artist_id, a.name AS artist_name, c.holder_id, c.plays, c.since
         FROM crowns c JOIN artists a ON a.id = c.artist_id
         JOIN guild_visibility v ON v.guild_id = c.guild_id AND v.member_id = c.holder_id
         WHERE c.guild_id = $1 AND c.artist_id = $2`,
        [guildId, artistId],
      );
      return rows[0] && toCrown(rows[0]);
    },
    async crownChanges(guildId, from, to) {
      const { rows } = await pool.query<ChangeRow>(
        // Only what visible members did: a change to someone who has since opted out is left out,
        // and one from them reads as a first claim, so the digest never names them.
        `SELECT e.guild_id, e.artist_id, a.name AS artist_name,
           CASE WHEN EXISTS (SELECT 1 FROM guild_visibility f WHERE f.guild_id = e.guild_id AND f.member_id = e.from_id)
             THEN e.from_id END AS from_id, e.to_id, e.plays, e.at
         FROM crown_events e JOIN artists a ON a.id = e.artist_id
         JOIN guild_visibility v ON v.guild_id = e.guild_id AND v.member_id = e.to_id
         WHERE e.guild_id = $1 AND e.at >= $2 AND e.at < $3 ORDER BY e.at, e.id`,
        [guildId, iso(from), iso(to)],
      );
      return rows.map(toChange);
    },
  };
}
