import type pg from 'pg';
import type { SourceKind } from '../src/app/sources/ports.js';
import type { SourceSyncDeps } from '../src/app/sources/syncPorts.js';
import { PARENT_GENRES } from '../src/core/genres/index.js';
import { rollupGenre } from '../src/core/history/index.js';
import type { Store } from '../src/store/index.js';
import { createSourcePlays } from '../src/store/sources/sourcePlays.js';
import { createSourceSyncRepository } from '../src/store/sources/sourceSyncRepository.js';
import { socialBackfillSql } from './social.bench.js';

/** The sync job's dependencies on a bench store: no DMs, no genre cache (every artist unclassified). */
export function benchSyncDeps(
  store: Store,
  sources: SourceSyncDeps['sources'],
  now: () => number,
  hooks: Pick<SourceSyncDeps, 'onBackfillDone' | 'onStopped'> = {},
): SourceSyncDeps {
  const quiet = () => {};
  return {
    sources,
    sync: createSourceSyncRepository(store.pool),
    plays: createSourcePlays(store.pool),
    genreOf: async () => (credits) => rollupGenre(credits.map(() => undefined)),
    lease: {
      acquire: (memberId, source, owner, ttlMs, at) =>
        store.leases.acquire('source-sync', `${memberId}:${source}`, owner, ttlMs, at),
      release: (memberId, source, owner) => store.leases.release('source-sync', `${memberId}:${source}`, owner),
    },
    instanceId: 'bench',
    log: { info: quiet, warn: quiet, error: quiet },
    now,
    ...hooks,
  };
}

export const SERVER_MEMBERS = 500;
export const SERVER_GUILD = '900000000000000002';
export const SERVER_TODAY = '2026-11-30';
const ARTISTS = 20_000;
const TRACKS_PER_ARTIST = 10;
/** Plays per member from 1,000 to 5,000 over a year: about 1.5 million in all. */
const PLAYS_MIN = 1_000;
const PLAYS_SPREAD = 4_000;

/** Which source member m listens through: a third each, Spotify's collector first. */
export const SOURCE_OF: ReadonlyArray<'collected' | SourceKind> = ['collected', 'listenbrainz', 'lastfm'];

/**
 * A year of a 500-member server whose members listen through Spotify, ListenBrainz and Last.fm in
 * equal thirds. As the catalogue resolves them (src/store/catalogue), three artists in four carry a
 * Spotify id and the rest are known by name only (`name:` ids), whichever source played them; each
 * member has favourites near "their" spot and the rest follows a server-wide popularity curve.
 * Plays, the rollups storing them writes, then the totals as the social migration backfills them.
 * Returns the plays stored by source.
 */
export async function buildMixedServer(db: pg.PoolClient): Promise<Record<string, number>> {
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET work_mem = '256MB'`);
  await db.query(`SELECT setseed(0.23)`);
  const artistId = (i: string) => `CASE WHEN ${i} % 4 = 3 THEN 'name:artist ' || ${i} ELSE 'sa' || ${i} END`;
  await db.query(
    `INSERT INTO artists (id, name) SELECT ${artistId('i')}, 'Artist ' || i FROM generate_series(0, $1 - 1) i`,
    [ARTISTS],
  );
  await db.query(
    `INSERT INTO tracks (id, name, duration_ms)
     SELECT 'st' || i || '-' || k, 'Song ' || k || ' of ' || i, 150000 + (i * 7919 + k * 104729) % 150000
     FROM generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) k`,
    [ARTISTS, TRACKS_PER_ARTIST],
  );
  await db.query(
    `INSERT INTO track_artists (track_id, position, artist_id)
     SELECT 'st' || i || '-' || k, 0, ${artistId('i')} FROM generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) k`,
    [ARTISTS, TRACKS_PER_ARTIST],
  );
  await db.query(
    `CREATE TEMP TABLE bench_genre AS
    SELECT ${artistId('i')} AS artist_id, ($1::text[])[1 + floor(power(random(), 2.5) * array_length($1::text[], 1))::int] AS genre
    FROM generate_series(0, ${ARTISTS} - 1) i`,
    [PARENT_GENRES.map((g) => g.id)],
  );
  const { rows } = await db.query<{ source: string; n: string }>(
    `WITH inserted AS (
       INSERT INTO plays (member_id, played_at, track_id, ms_played, ms_estimated, source)
       SELECT member_id,
         $1::timestamptz + make_interval(secs => i * slot + floor(r1 * (slot - 1))),
         'st' || (CASE WHEN r2 < 0.6 THEN (m * 37 + floor(300 * power(r3, 2))::int) % $3
                       ELSE floor($3 * power(r3, 4))::int END) || '-' || floor(r4 * $4)::int,
         120000 + floor(r5 * 120000)::int, source <> 'collected', source
       FROM (
         SELECT m, '4100000000000' || lpad(m::text, 5, '0') AS member_id, ($7::text[])[1 + m % 3] AS source, i,
           floor(365 * 86400 / n)::int AS slot, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
         FROM (SELECT m, $5 + floor(random() * $6)::int AS n FROM generate_series(0, $2 - 1) m) members,
         LATERAL generate_series(0, n - 1) i
       ) g
       RETURNING source
     ) SELECT source, count(*) AS n FROM inserted GROUP BY source`,
    [
      new Date(Date.parse(`${SERVER_TODAY}T00:00:00Z`) - 364 * 86_400_000).toISOString(),
      SERVER_MEMBERS,
      ARTISTS,
      TRACKS_PER_ARTIST,
      PLAYS_MIN,
      PLAYS_SPREAD,
      SOURCE_OF,
    ],
  );
  await db.query(
    `INSERT INTO member_daily (member_id, day, plays, ms)
     SELECT member_id, (played_at AT TIME ZONE 'UTC')::date, count(*), sum(coalesce(ms_played, 0)) FROM plays GROUP BY 1, 2`,
  );
  await db.query(
    `INSERT INTO member_daily_artists (member_id, day, artist_id, plays, ms)
     SELECT p.member_id, (p.played_at AT TIME ZONE 'UTC')::date, ta.artist_id, count(*), sum(coalesce(p.ms_played, 0))
     FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id GROUP BY 1, 2, 3`,
  );
  await db.query(
    `INSERT INTO member_daily_genres (member_id, day, genre, plays, ms)
     SELECT p.member_id, (p.played_at AT TIME ZONE 'UTC')::date, g.genre, count(*), sum(coalesce(p.ms_played, 0))
     FROM plays p JOIN track_artists ta ON ta.track_id = p.track_id AND ta.position = 0
     JOIN bench_genre g ON g.artist_id = ta.artist_id GROUP BY 1, 2, 3`,
  );
  await db.query(await socialBackfillSql());
  await db.query(`INSERT INTO guild_visibility (guild_id, member_id) SELECT $1, member_id FROM member_totals`, [
    SERVER_GUILD,
  ]);
  await db.query(`DROP TABLE bench_genre`);
  await db.query(`VACUUM ANALYZE`);
  return Object.fromEntries(rows.map((r) => [r.source, Number(r.n)]));
}
