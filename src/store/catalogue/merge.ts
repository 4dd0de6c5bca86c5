import type pg from 'pg';
import { rebuildSocialTotals } from '../social/socialTotalsWriter.js';
import { sqlMatchKey } from './norm.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** One identity merged into another: `aliasId` (a `name:` id) now stands for `targetId`. */
export interface Merge {
  aliasId: string;
  targetId: string;
}

const pairs = (merges: readonly Merge[]) => [merges.map((m) => m.aliasId), merges.map((m) => m.targetId)];
const MERGES = `m AS (SELECT * FROM unnest($1::text[], $2::text[]) AS m (alias_id, target_id))`;

/**
 * Takes the locks a merge needs without waiting for any: one merge at a time (they rewrite shared
 * rows), then every member whose rows it rewrites (the key lockMember uses), so no writer adds to a
 * rollup that is being moved. False when one is held elsewhere: the merge is put off rather than
 * waited for, since this transaction already holds its own member's lock and a wait could close a
 * cycle with a writer holding another. Put off costs nothing lasting: the next play of the survivor
 * touches it again, and a listen meanwhile resolves to the survivor anyway (resolve.ts).
 */
async function tryLocks(db: Queryable, find: () => Promise<string[]>, locked: Set<string>): Promise<boolean> {
  const ok = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ ok: boolean }>(sql, params)).rows[0]?.ok === true;
  if (!(await ok(`SELECT pg_try_advisory_xact_lock(hashtext('encore:catalogue-merge')) AS ok`))) return false;
  // Members who played an alias since `find` last looked are found on the next pass.
  for (;;) {
    const fresh = (await find()).filter((m) => !locked.has(m)).sort();
    if (!fresh.length) return true;
    for (const member of fresh) {
      if (!(await ok(`SELECT pg_try_advisory_xact_lock(hashtext('encore:history'), hashtext($1)) AS ok`, [member])))
        return false;
      locked.add(member);
    }
  }
}

/**
 * The alias table of each kind of identity: `table` maps an alias id to the `column` it stands for.
 * Fixed names, never from input, so they may stand in the SQL.
 */
const ALIASES = {
  artist: { table: 'artist_aliases', column: 'artist_id' },
  track: { table: 'track_aliases', column: 'track_id' },
} as const;

/**
 * Re-points every alias of each alias onto its target, then makes the alias itself one, so an id
 * once seen still resolves after the merge (artists and tracks alike).
 */
async function pointAliasesAtTargets(db: Queryable, kind: keyof typeof ALIASES, params: unknown[]): Promise<void> {
  const { table, column } = ALIASES[kind];
  await db.query(
    `WITH ${MERGES} UPDATE ${table} x SET ${column} = m.target_id FROM m WHERE x.${column} = m.alias_id`,
    params,
  );
  await db.query(
    `WITH ${MERGES} INSERT INTO ${table} (alias_id, ${column}) SELECT alias_id, target_id FROM m ORDER BY alias_id
     ON CONFLICT (alias_id) DO UPDATE SET ${column} = EXCLUDED.${column}`,
    params,
  );
}

/** Members with rows under these artist ids (the totals list every artist of the rollups). */
const artistMembers = async (db: Queryable, ids: readonly string[]) =>
  (
    await db.query<{ member_id: string }>(
      `SELECT DISTINCT member_id FROM member_artist_totals WHERE artist_id = ANY($1::text[])`,
      [ids],
    )
  ).rows.map((r) => r.member_id);

const trackMembers = async (db: Queryable, ids: readonly string[]) =>
  (
    await db.query<{ member_id: string }>(`SELECT DISTINCT member_id FROM plays WHERE track_id = ANY($1::text[])`, [
      ids,
    ])
  ).rows.map((r) => r.member_id);

/**
 * Moves everything that refers to each alias artist onto its target, in the caller's transaction:
 * aliases (and the aliases of the alias), credits, the members' daily rollups (summed where the
 * member played both), crown history, dismissed suggestions. The alias's crowns are dropped (the
 * refresh job recounts them); its totals are recounted by `finishMerges`. Returns the tracks whose
 * main artist moved (their match keys were recomputed), or undefined when the merge was put off
 * (nothing changed).
 */
export async function moveArtists(
  db: Queryable,
  merges: readonly Merge[],
  locked: Set<string>,
): Promise<string[] | undefined> {
  if (!merges.length) return [];
  const aliases = merges.map((m) => m.aliasId);
  if (!(await tryLocks(db, () => artistMembers(db, aliases), locked))) return undefined;
  const params = pairs(merges);
  await pointAliasesAtTargets(db, 'artist', params);
  // What the alias knew and the target does not (an MBID from ListenBrainz or Last.fm).
  await db.query(
    `WITH ${MERGES} UPDATE artists s SET mbid = n.mbid FROM m JOIN artists n ON n.id = m.alias_id
     WHERE s.id = m.target_id AND s.mbid IS NULL AND n.mbid IS NOT NULL`,
    params,
  );
  const { rows: moved } = await db.query<{ track_id: string; position: number }>(
    `WITH ${MERGES} UPDATE track_artists ta SET artist_id = m.target_id FROM m WHERE ta.artist_id = m.alias_id
     RETURNING ta.track_id, ta.position`,
    params,
  );
  const mainMoved = [...new Set(moved.filter((r) => r.position === 0).map((r) => r.track_id))];
  if (mainMoved.length)
    await db.query(
      `UPDATE tracks t SET match_key = ${sqlMatchKey('a.name', 't.name')}
       FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
       WHERE ta.track_id = t.id AND ta.position = 0 AND t.id = ANY($1::text[])`,
      [mainMoved],
    );
  await db.query(
    `WITH ${MERGES}, moved AS (
       DELETE FROM member_daily_artists d USING m
       WHERE d.member_id = ANY($3::text[]) AND d.artist_id = m.alias_id
       RETURNING d.member_id, d.day, m.target_id, d.plays, d.ms)
     INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms)
     SELECT member_id, day, target_id, sum(plays), sum(ms) FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (member_id, day, artist_id) DO UPDATE SET plays = member_daily_artists.plays + EXCLUDED.plays,
       ms = member_daily_artists.ms + EXCLUDED.ms`,
    [...params, [...locked]],
  );
  await db.query(`DELETE FROM crowns WHERE artist_id = ANY($1::text[])`, [aliases]);
  await db.query(
    `WITH ${MERGES} UPDATE crown_events e SET artist_id = m.target_id FROM m WHERE e.artist_id = m.alias_id`,
    params,
  );
  await db.query(
    `WITH ${MERGES}, gone AS (
       DELETE FROM suggestion_dismissed_artists d USING m WHERE d.artist_id = m.alias_id
       RETURNING d.member_id, m.target_id, d.dismissed_at)
     INSERT INTO suggestion_dismissed_artists (member_id, artist_id, dismissed_at)
     SELECT DISTINCT ON (member_id, target_id) member_id, target_id, dismissed_at FROM gone
     ORDER BY member_id, target_id, dismissed_at ON CONFLICT DO NOTHING`,
    params,
  );
  return mainMoved;
}

/**
 * Moves the plays of each alias track onto its target, in the caller's transaction. A play counts,
 * day by day, for its track's credits: where the target's credits differ from the alias's, the
 * member's artist rollups move with the play (one play, one count per credited artist). Minutes and
 * plays per day never change. False when the merge was put off (see tryLocks).
 */
export async function moveTracks(db: Queryable, merges: readonly Merge[], locked: Set<string>): Promise<boolean> {
  if (!merges.length) return true;
  const aliases = merges.map((m) => m.aliasId);
  if (!(await tryLocks(db, () => trackMembers(db, aliases), locked))) return false;
  const params = pairs(merges);
  await pointAliasesAtTargets(db, 'track', params);
  await db.query(
    `WITH ${MERGES} UPDATE tracks s SET mbid = coalesce(s.mbid, n.mbid), isrc = coalesce(s.isrc, n.isrc),
       duration_ms = coalesce(s.duration_ms, n.duration_ms)
     FROM m JOIN tracks n ON n.id = m.alias_id
     WHERE s.id = m.target_id AND (s.mbid IS NULL OR s.isrc IS NULL OR s.duration_ms IS NULL)`,
    params,
  );
  await db.query(
    `WITH ${MERGES},
     old AS (SELECT DISTINCT m.alias_id, ta.artist_id FROM m JOIN track_artists ta ON ta.track_id = m.alias_id),
     new AS (SELECT DISTINCT m.alias_id, ta.artist_id FROM m JOIN track_artists ta ON ta.track_id = m.target_id),
     change AS (
       SELECT alias_id, artist_id, -1 AS sign FROM old o
       WHERE NOT EXISTS (SELECT 1 FROM new n WHERE n.alias_id = o.alias_id AND n.artist_id = o.artist_id)
       UNION ALL
       SELECT alias_id, artist_id, 1 FROM new n
       WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.alias_id = n.alias_id AND o.artist_id = n.artist_id))
     INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms)
     SELECT p.member_id, (p.played_at AT TIME ZONE 'UTC')::date AS day, c.artist_id,
       sum(c.sign), sum(c.sign * coalesce(p.ms_played, 0))
     FROM change c JOIN plays p ON p.track_id = c.alias_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (member_id, day, artist_id) DO UPDATE SET plays = member_daily_artists.plays + EXCLUDED.plays,
       ms = member_daily_artists.ms + EXCLUDED.ms`,
    params,
  );
  await db.query(`DELETE FROM member_daily_artists WHERE member_id = ANY($1::text[]) AND plays <= 0`, [[...locked]]);
  await db.query(
    `WITH ${MERGES} UPDATE plays p SET track_id = m.target_id FROM m WHERE p.track_id = m.alias_id`,
    params,
  );
  return true;
}

/**
 * Ends the merges of one transaction: recounts the social totals of every member they touched
 * (leaderboards, /whoknows, crowns read those), then deletes the merged-away rows, which nothing
 * refers to any more.
 */
export async function finishMerges(
  db: Queryable,
  artists: readonly Merge[],
  tracks: readonly Merge[],
  locked: ReadonlySet<string>,
): Promise<void> {
  for (const member of [...locked].sort()) await rebuildSocialTotals(db, member);
  if (tracks.length) {
    const ids = tracks.map((m) => m.aliasId);
    await db.query(`DELETE FROM track_artists WHERE track_id = ANY($1::text[])`, [ids]);
    await db.query(`DELETE FROM tracks WHERE id = ANY($1::text[])`, [ids]);
  }
  if (artists.length) await db.query(`DELETE FROM artists WHERE id = ANY($1::text[])`, [artists.map((m) => m.aliasId)]);
}
