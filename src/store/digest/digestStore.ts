import type pg from 'pg';
import type { DigestLedger, DigestReader, DigestSettings, DigestSettingsRepository } from '../../app/digest/ports.js';
import type { PrivacySettings } from '../../app/privacy/privacy.js';
import type { Store } from '../index.js';
import { createRollupReader } from '../history/rollupReader.js';
import { CLAIMS_TABLE } from '../schema.js';
import { createVisibilityRepository } from '../social/visibility.js';

/** Guild digest settings in the keyv namespace `digest-guilds` (one small JSON value per server). */
export function createDigestSettingsRepository(store: Store): DigestSettingsRepository {
  const ns = store.namespace<DigestSettings>('digest-guilds');
  const list = async () => {
    const out: DigestSettings[] = [];
    for await (const [, value] of ns.iterator!(undefined)) if (value) out.push(value as DigestSettings);
    return out;
  };
  return {
    get: (guildId) => ns.get(guildId),
    save: async (settings) => void (await ns.set(settings.guildId, settings)),
    list,
    async forgetAdmin(userId) {
      let n = 0;
      for (const settings of await list())
        if (settings.configuredBy === userId) {
          const { configuredBy: _gone, ...rest } = settings;
          await ns.set(settings.guildId, rest);
          n++;
        }
      return n;
    },
  };
}

/** Members who said yes to the personal weekly DM. */
export function createWeeklyDmMembers(store: Store): () => Promise<string[]> {
  const privacy = store.namespace<PrivacySettings>('privacy');
  return async () => {
    const out: string[] = [];
    for await (const [key, value] of privacy.iterator!(undefined))
      if ((value as PrivacySettings | undefined)?.weeklyDm) out.push(String(key));
    return out.sort();
  };
}

/** Forgets which weeks a member's weekly DM went out (personal: /unlink erases it); how many rows. */
export async function forgetWrappedRecords(store: Store, memberId: string): Promise<number> {
  const { rowCount } = await store.pool.query(
    `DELETE FROM ${CLAIMS_TABLE} WHERE kind = 'digest' AND starts_with(id, $1)`,
    [`dm:${memberId}:`],
  );
  await store.leases.forget('digest', `dm:${memberId}:`);
  return rowCount ?? 0;
}

/** Outcomes are claim rows (first writer wins, kept for good); the posting right is a lease. */
export function createDigestLedger(store: Store): DigestLedger {
  const key = (guildId: string, week: string) => `${guildId}:${week}`;
  return {
    outcome: (guildId, week) => store.claims.ownerOf('digest', key(guildId, week)),
    record: (guildId, week, outcome, now) => store.claims.claim('digest', key(guildId, week), outcome, now),
    lease: (guildId, week, owner, ttlMs, now) => store.leases.acquire('digest', key(guildId, week), owner, ttlMs, now),
    unlease: (guildId, week, owner) => store.leases.release('digest', key(guildId, week), owner),
  };
}

/**
 * The digest's reads: SQL over the rollups through their (day, …) indexes, restricted to the
 * opted-in members the caller passes (never anyone else, not even in a total). Who is opted in is
 * read from the SQL visibility mirror every server aggregate reads (guild_visibility, kept in step
 * with the privacy store and with membership: a member who left is not in it), not by scanning
 * every member's privacy record. The week's totals, artists and genres come from the one rollup
 * reader /chart and the server charts read too.
 */
export function createDigestReader(store: Store): DigestReader {
  const pool: pg.Pool = store.pool;
  const ids = (memberIds: readonly string[]) => [...memberIds];
  const rollups = createRollupReader(pool);
  const visibility = createVisibilityRepository(pool);
  return {
    optedIn: (guildId) => visibility.visibleMembers(guildId),
    memberWeeks: (memberIds, fromDay, toDay) => rollups.memberTotals({ memberIds }, fromDay, toDay),
    topArtists: (memberIds, fromDay, toDay, limit) => rollups.topArtists({ memberIds }, fromDay, toDay, limit),
    async topTracks(memberIds, from, to, limit) {
      const { rows } = await pool.query<{ track_id: string; name: string; plays: number; artists: string[] | null }>(
        `WITH top AS (
           SELECT track_id, count(*)::int AS plays FROM plays
           WHERE member_id = ANY($1::text[]) AND played_at >= $2 AND played_at < $3
           GROUP BY track_id ORDER BY count(*) DESC, track_id LIMIT $4)
         SELECT top.track_id, t.name, top.plays,
           (SELECT array_agg(a.name ORDER BY ta.position) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            WHERE ta.track_id = top.track_id) AS artists
         FROM top JOIN tracks t ON t.id = top.track_id ORDER BY top.plays DESC, top.track_id`,
        [ids(memberIds), new Date(from).toISOString(), new Date(to).toISOString(), limit],
      );
      return rows.map((r) => ({ trackId: r.track_id, name: r.name, plays: r.plays, artists: r.artists ?? [] }));
    },
    genres: (memberIds, fromDay, toDay) => rollups.topGenres({ memberIds }, fromDay, toDay),
    async memberGenres(memberIds, fromDay, toDay) {
      const { rows } = await pool.query<{ member_id: string; genre: string; ms: string }>(
        `SELECT member_id, genre, sum(ms)::text AS ms FROM member_daily_genres
         WHERE day BETWEEN $2::date AND $3::date AND member_id = ANY($1::text[]) GROUP BY member_id, genre`,
        [ids(memberIds), fromDay, toDay],
      );
      return rows.map((r) => ({ memberId: r.member_id, genre: r.genre, ms: Number(r.ms) }));
    },
    async clock(memberIds, from, to, timeZone) {
      const { rows } = await pool.query<{ weekday: number; hour: number; minutes: number }>(
        `WITH local AS (
           SELECT (played_at - make_interval(secs => coalesce(ms_played, 0) / 2000.0)) AT TIME ZONE $4 AS t,
                  coalesce(ms_played, 0) AS ms
           FROM plays WHERE member_id = ANY($1::text[]) AND played_at >= $2 AND played_at < $3)
         SELECT (extract(isodow FROM t)::int - 1) AS weekday, extract(hour FROM t)::int AS hour,
                (sum(ms) / 60000.0)::float8 AS minutes
         FROM local GROUP BY 1, 2 ORDER BY 1, 2`,
        [ids(memberIds), new Date(from).toISOString(), new Date(to).toISOString(), timeZone],
      );
      return rows;
    },
    async discoveries(memberIds, fromDay, toDay, limit) {
      const { rows } = await pool.query<{ artist_id: string; name: string; plays: number; ms: string }>(
        `WITH week AS (
           SELECT artist_id, sum(plays)::int AS plays, sum(ms) AS ms FROM member_daily_artists
           WHERE day BETWEEN $2::date AND $3::date AND member_id = ANY($1::text[]) GROUP BY artist_id)
         SELECT w.artist_id, a.name, w.plays, w.ms::text AS ms FROM week w JOIN artists a ON a.id = w.artist_id
         WHERE NOT EXISTS (SELECT 1 FROM member_daily_artists e WHERE e.artist_id = w.artist_id
                           AND e.member_id = ANY($1::text[]) AND e.day < $2::date)
         ORDER BY w.plays DESC, w.ms DESC, w.artist_id LIMIT $4`,
        [ids(memberIds), fromDay, toDay, limit],
      );
      return rows.map((r) => ({ artistId: r.artist_id, name: r.name, plays: r.plays, ms: Number(r.ms) }));
    },
  };
}
