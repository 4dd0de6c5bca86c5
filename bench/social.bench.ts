import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { NewPlay } from '../src/app/history/ports.js';
import type { LeaderboardMetric, SocialPeriod, WhoKnowsKind } from '../src/app/social/ports.js';
import { PARENT_GENRES } from '../src/core/genres/index.js';
import { compatibility } from '../src/core/taste/index.js';
import { MIGRATIONS_DIR } from '../src/store/migrate.js';
import { createLogger } from '../src/log.js';
import { openStore, type Store } from '../src/store/index.js';
import { createHistoryRepository } from '../src/store/history/historyRepository.js';
import { createSocialRepository } from '../src/store/social/socialRepository.js';
import { benchStore, table, withoutIndexes } from './support.js';

const MEMBERS = 500;
/** Plays per member spread from 4,000 to 24,000 (a light and a heavy listener): 7 million in all. */
const PLAYS_MIN = 4_000;
const PLAYS_SPREAD = 20_000;
const ARTISTS = 20_000;
const TRACKS_PER_ARTIST = 10;
const TODAY = '2026-11-30';
const GUILD = '900000000000000001';
const RUNS = 20;
const TARGET_MS = 100;
/** Share of plays whose artists have no genre Encore could place. */
const UNCLASSIFIED_SHARE = 0.15;

/** How many members and how many plays each (from playsMin to playsMin + playsSpread). */
export interface ServerShape {
  members: number;
  playsMin: number;
  playsSpread: number;
}
const DEFAULT_SHAPE: ServerShape = { members: MEMBERS, playsMin: PLAYS_MIN, playsSpread: PLAYS_SPREAD };
/** The guild every built member is visible in. */
export const BENCH_GUILD = GUILD;
/** The "today" the built year ends on. */
export const BENCH_TODAY = TODAY;

/** The migration's own backfill statements (between its "Backfill begin/end" markers). */
export async function socialBackfillSql(): Promise<string> {
  const sql = await readFile(`${MIGRATIONS_DIR}/0004_social.sql`, 'utf8');
  const begin = sql.indexOf('-- Backfill begin');
  const end = sql.indexOf('-- Backfill end');
  if (begin < 0 || end < begin) throw new Error('0004_social.sql has no backfill markers');
  return sql.slice(begin, end);
}

/**
 * A year of a 500-member server's listening, set-based: artists with a skewed popularity and a
 * genre mix where pop, rock and hip hop lead; each member with favourites of their own (60 % of
 * their plays among ~300 artists near "their" spot) and the rest from the server-wide popularity
 * curve; 10 % of tracks with a featured artist. Plays, then the rollups the collector would have
 * written, then the totals exactly as the migration backfills them.
 */
export async function buildServer(db: pg.PoolClient, shape: ServerShape = DEFAULT_SHAPE): Promise<number> {
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET work_mem = '256MB'`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(`SELECT setseed(0.42)`);
  // Bulk loading: foreign-key triggers off for this session (the data is consistent by
  // construction) and the big tables' indexes built once at the end instead of row by row.
  await db.query(`SET session_replication_role = replica`).catch(() => {});
  const restore = await withoutIndexes(db, BULK_TABLES);
  await db.query(`INSERT INTO artists (id, name) SELECT 'ba' || i, 'Artist ' || i FROM generate_series(0, $1 - 1) i`, [
    ARTISTS,
  ]);
  await db.query(`CREATE TABLE bench_artist_genre (artist_id TEXT PRIMARY KEY, genre TEXT NOT NULL)`);
  await db.query(
    `INSERT INTO bench_artist_genre
     SELECT 'ba' || i, CASE WHEN random() < $2 THEN 'unclassified'
                            ELSE ($1::text[])[1 + floor(power(random(), 2.5) * array_length($1::text[], 1))::int] END
     FROM generate_series(0, $3 - 1) i`,
    [PARENT_GENRES.map((g) => g.id), UNCLASSIFIED_SHARE, ARTISTS],
  );
  await db.query(
    `INSERT INTO tracks (id, name, duration_ms)
     SELECT 'bt' || i || '-' || k, 'Song ' || k || ' of ' || i, 150000 + (i * 7919 + k * 104729) % 150000
     FROM generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) k`,
    [ARTISTS, TRACKS_PER_ARTIST],
  );
  await db.query(
    `INSERT INTO track_artists (track_id, position, artist_id)
     SELECT 'bt' || i || '-' || k, 0, 'ba' || i FROM generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) k
     UNION ALL
     SELECT 'bt' || i || '-' || k, 1, 'ba' || ((i * 7 + 13 + k) % $1)
     FROM generate_series(0, $1 - 1) i, generate_series(0, $2 - 1) k WHERE (i + k) % 10 = 0`,
    [ARTISTS, TRACKS_PER_ARTIST],
  );
  // Spacing each member's plays evenly over the year with a random offset inside each slot keeps
  // (member, played_at) unique without a retry.
  const { rowCount } = await db.query(
    `INSERT INTO plays (member_id, played_at, track_id, ms_played, ms_estimated, source)
     SELECT member_id,
       $1::timestamptz + make_interval(secs => i * slot + floor(r1 * (slot - 1))),
       'bt' || (CASE WHEN r2 < 0.6 THEN (m * 37 + floor(300 * power(r3, 2))::int) % $3
                     ELSE floor($3 * power(r3, 4))::int END) || '-' || floor(r4 * $4)::int,
       120000 + floor(r5 * 120000)::int, false, 'imported'
     FROM (
       SELECT m, '4000000000000' || lpad(m::text, 5, '0') AS member_id, i, floor(365 * 86400 / n)::int AS slot,
         random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
       FROM (SELECT m, $5 + floor(random() * $6)::int AS n FROM generate_series(0, $2 - 1) m) members,
       LATERAL generate_series(0, n - 1) i
     ) g`,
    [
      new Date(Date.parse(`${TODAY}T00:00:00Z`) - 364 * 86_400_000).toISOString(),
      shape.members,
      ARTISTS,
      TRACKS_PER_ARTIST,
      shape.playsMin,
      shape.playsSpread,
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
     JOIN bench_artist_genre g ON g.artist_id = ta.artist_id GROUP BY 1, 2, 3`,
  );
  await restore(['plays', 'member_daily', 'member_daily_artists', 'member_daily_genres']);
  await db.query(await socialBackfillSql());
  await restore();
  await db.query(`INSERT INTO guild_visibility (guild_id, member_id) SELECT $1, member_id FROM member_totals`, [GUILD]);
  await db.query(`DROP TABLE bench_artist_genre`);
  await db.query(`VACUUM ANALYZE`);
  return rowCount ?? 0;
}

const BULK_TABLES = [
  'plays',
  'member_daily',
  'member_daily_artists',
  'member_daily_genres',
  'member_totals',
  'member_artist_totals',
  'member_artist_days',
  'member_track_totals',
  'member_genre_totals',
  'member_genre_cumulative',
];

interface Timing {
  label: string;
  p50: number;
  p95: number;
  target?: number;
  note: string;
}

async function timeIt(label: string, work: () => Promise<string>, runs = RUNS, target?: number): Promise<Timing> {
  await work();
  await work();
  const times: number[] = [];
  let note = '';
  for (let run = 0; run < runs; run++) {
    const t = performance.now();
    note = await work();
    times.push(performance.now() - t);
  }
  const sorted = times.sort((a, b) => a - b);
  return {
    label,
    p50: sorted[Math.floor((sorted.length - 1) / 2)]!,
    p95: sorted[Math.ceil(sorted.length * 0.95) - 1]!,
    target,
    note,
  };
}

/**
 * Server social (issue 15) on a synthetic server of 500 opted-in members with a year of history
 * (about 7 million plays): every /leaderboard metric and period, /whoknows, /compat's data, the
 * autocomplete and crowns. Database included, rendering excluded. Target p95 ≤ 100 ms for the
 * leaderboards, /whoknows and /compat.
 */
export default async function socialBench(): Promise<void> {
  // SOCIAL_BENCH_KEEP=1 keeps the built database (its name is printed) and SOCIAL_BENCH_DB=<url>
  // times against such a database again, for tuning with EXPLAIN ANALYZE without a rebuild.
  const reuse = process.env.SOCIAL_BENCH_DB;
  const { store, dispose } = reuse ? await reusedStore(reuse) : await benchStore();
  try {
    const started = performance.now();
    let plays = 0;
    if (!reuse) {
      const client = await store.pool.connect();
      try {
        plays = await buildServer(client);
      } finally {
        client.release();
      }
    } else plays = Number((await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM plays`)).rows[0]!.n);
    const buildSeconds = (performance.now() - started) / 1000;
    const q = async (sql: string) => (await store.pool.query<{ v: string }>(sql)).rows[0]?.v ?? '';
    const rows = {
      artistTotals: await q(`SELECT count(*)::text AS v FROM member_artist_totals`),
      trackTotals: await q(`SELECT count(*)::text AS v FROM member_track_totals`),
      dailyArtists: await q(`SELECT count(*)::text AS v FROM member_daily_artists`),
    };
    console.log(
      `built ${plays.toLocaleString('en')} plays of ${MEMBERS} members in ${buildSeconds.toFixed(0)} s ` +
        `(${Number(rows.dailyArtists).toLocaleString('en')} daily artist rollups, ` +
        `${Number(rows.artistTotals).toLocaleString('en')} member-artist and ${Number(rows.trackTotals).toLocaleString('en')} member-track totals)`,
    );

    const repo = createSocialRepository(store.pool);
    const rare = async (table: string, column: string) =>
      q(`SELECT ${column} AS v FROM ${table} GROUP BY ${column} ORDER BY count(*), ${column} LIMIT 1`);
    const items: Array<[WhoKnowsKind, string, string]> = [
      ['artist', 'ba0', 'popular'],
      ['artist', await rare('member_artist_totals', 'artist_id'), 'rare'],
      ['track', 'bt0-0', 'popular'],
      ['track', await rare('member_track_totals', 'track_id'), 'rare'],
      ['genre', 'pop', 'popular'],
      [
        'genre',
        await q(`SELECT genre AS v FROM member_genre_totals GROUP BY genre ORDER BY sum(plays) LIMIT 1`),
        'rare',
      ],
    ];
    const [a, b] = (await repo.visibleMembers(GUILD)).slice(0, 2) as [string, string];

    const timings: Timing[] = [];
    const metrics: LeaderboardMetric[] = ['minutes', 'plays', 'artists', 'diversity', 'discoveries'];
    const periods: SocialPeriod[] = ['week', 'month', 'year', 'all'];
    for (const metric of metrics)
      for (const period of periods)
        timings.push(
          await timeIt(
            `/leaderboard ${metric} ${period}`,
            async () => `${(await repo.leaderboard(GUILD, metric, period, TODAY)).length} ranked`,
            RUNS,
            TARGET_MS,
          ),
        );
    for (const [kind, id, how] of items)
      timings.push(
        await timeIt(
          `/whoknows ${kind} (${how})`,
          async () => `${(await repo.whoKnows(GUILD, kind, id, 10)).length} shown`,
          RUNS,
          TARGET_MS,
        ),
      );
    timings.push(
      await timeIt(
        '/compat (2 taste profiles + score)',
        async () => {
          const [pa, pb] = await Promise.all([repo.tasteProfile(a, 200), repo.tasteProfile(b, 200)]);
          const result = compatibility(pa, pb);
          return `score ${result.score}, ${result.sharedArtists.length} shared`;
        },
        RUNS,
        TARGET_MS,
      ),
    );
    for (const [kind, text] of [
      ['artist', ''],
      ['artist', 'Artist 12'],
      ['track', ''],
      ['track', 'Song 3 of 4'],
      ['genre', 'ro'],
    ] as Array<[WhoKnowsKind, string]>)
      timings.push(
        await timeIt(
          `autocomplete ${kind} "${text}"`,
          async () => `${(await repo.findInServer(GUILD, kind, text, 25)).length} choices`,
        ),
      );
    const threshold = 30;
    let t = performance.now();
    const firstClaims = await repo.refreshCrowns(GUILD, threshold, Date.parse(`${TODAY}T12:00:00Z`));
    const firstRefresh = performance.now() - t;
    timings.push(
      await timeIt(
        'refreshCrowns, one artist',
        async () => `${(await repo.refreshCrowns(GUILD, threshold, Date.now(), 'ba0')).length} changed`,
      ),
    );
    timings.push(
      await timeIt(
        'refreshCrowns, whole server (nothing moved)',
        async () => `${(await repo.refreshCrowns(GUILD, threshold, Date.now())).length} changed`,
        5,
      ),
    );
    // What keeping the totals costs the collector: one poll's 50 fresh plays for a member with a
    // year of history, stored with their rollups and totals in one transaction.
    const history = createHistoryRepository(store.pool);
    let poll = 0;
    timings.push(
      await timeIt('storing a 50-play poll (rollups + totals)', async () => {
        const at = Date.parse(`${TODAY}T23:00:00Z`) + poll++ * 60_000;
        const plays: NewPlay[] = Array.from({ length: 50 }, (_, i) => {
          const artist = (poll * 50 + i) % 500;
          return {
            playedAt: at + i,
            track: { id: `bt${artist}-${i % 10}`, name: '', artists: [{ id: `ba${artist}`, name: '' }] },
            msPlayed: 180_000,
            msEstimated: true,
            source: 'collected',
            genre: 'pop',
          };
        });
        return `${await history.insertPlays(a, plays)} stored`;
      }),
    );
    t = performance.now();
    await repo.crownsOf(GUILD, a);
    const crownsOf = performance.now() - t;

    table([
      ['query', 'p50', 'p95', 'target', 'result', ''],
      ...timings.map((x) => [
        x.label,
        `${x.p50.toFixed(1)} ms`,
        `${x.p95.toFixed(1)} ms`,
        x.target === undefined ? '—' : `≤ ${x.target} ms`,
        x.target === undefined ? '' : x.p95 <= x.target ? 'met' : 'MISSED',
        x.note,
      ]),
    ]);
    console.log(
      `first crowns refresh (every crown claimed): ${firstRefresh.toFixed(0)} ms, ${firstClaims.length.toLocaleString('en')} crowns; crownsOf: ${crownsOf.toFixed(1)} ms`,
    );
    console.log(
      `(${RUNS} warm runs each, after 2 warm-up runs; database: ${store.kind}; building took ${buildSeconds.toFixed(0)} s)`,
    );
  } finally {
    if (process.env.SOCIAL_BENCH_KEEP && !reuse) {
      const { rows } = await store.pool.query<{ name: string }>(`SELECT current_database() AS name`);
      console.log(`kept database ${rows[0]!.name}`);
      await store.close();
    } else await dispose();
  }
}

async function reusedStore(url: string): Promise<{ store: Store; dispose(): Promise<void> }> {
  const store = await openStore({ databaseUrl: url, dataDir: '/nonexistent', log: createLogger('silent') });
  return { store, dispose: () => store.close() };
}
