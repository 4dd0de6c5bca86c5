import type pg from 'pg';
import { computeDigest } from '../src/app/digest/digest.js';
import { createDigestReader } from '../src/store/digest/digestStore.js';
import { createHistoryRepository } from '../src/store/history/historyRepository.js';
import { createSocialRepository } from '../src/store/social/socialRepository.js';
import { createPrivacyRepository } from '../src/store/accounts/privacyRepository.js';
import type { NewPlay } from '../src/app/history/ports.js';
import type { Store } from '../src/store/index.js';
import { benchStore, growth, table, withoutIndexes } from './support.js';

const MEMBERS = 1_000;
const PLAYS_PER_DAY = 25;
const WEEKS = 4; // three weeks before the digest's week: "last week" movement and discoveries read them
const ARTISTS = 3_000;
const TRACKS_PER_ARTIST = 4;
const GENRES = [
  'pop',
  'rock',
  'hip hop',
  'electronic',
  'jazz',
  'classical',
  'folk',
  'metal',
  'r&b',
  'latin',
  'unclassified',
];
const WEEK = '2026-11-30'; // the post's date: the digest covers 11-23 … 11-29
const DAY = 86_400_000;
const TARGET_MS = 2_000;

/** A deterministic listener: favourite artists by member, a few plays of everything else. */
function playsOf(member: number, start: number, days: number): NewPlay[] {
  let seed = member * 7919 + 1;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const plays: NewPlay[] = [];
  for (let d = 0; d < days; d++)
    for (let i = 0; i < PLAYS_PER_DAY; i++) {
      const artist = next() < 0.6 ? (member * 13 + Math.floor(next() * 20)) % ARTISTS : Math.floor(next() * ARTISTS);
      const track = Math.floor(next() * TRACKS_PER_ARTIST);
      plays.push({
        playedAt: start + d * DAY + 8 * 3_600_000 + i * 30 * 60_000,
        track: {
          id: `t${artist}-${track}`,
          name: `Track ${track} of artist ${artist}`,
          durationMs: 200_000,
          artists: [{ id: `a${artist}`, name: `Artist ${artist}` }],
        },
        msPlayed: 180_000,
        msEstimated: false,
        source: 'collected',
        genre: GENRES[artist % GENRES.length]!,
      });
    }
  return plays;
}

/** The two server sizes timed, to show how the digest's cost grows with the members opted in. */
const SIZES = [MEMBERS, 10 * MEMBERS] as const;
const MEMBER_BASE = 200000000000000000n;
const GUILD = '100000000000000001';
/** Where the other servers' members are numbered from: past every size. */
const OTHERS = 100_000;

interface Measured {
  members: number;
  first: number;
  median: number;
  worst: number;
  listeners: number;
  seedSeconds: number;
}

/**
 * One server's digest data (issue 14): 1,000 opted-in members with a week of history each (and
 * three weeks before it), computed as the job does — the opted-in set from the privacy namespace,
 * then the rollup and plays queries. Rendering excluded. Target ≤ 2 s. Then the same at 10,000
 * members (issue 24 item 6), to show whether the cost grows linearly with the server.
 */
export default async function digestBench(): Promise<void> {
  const { store, dispose } = await benchStore();
  const results: Measured[] = [];
  try {
    // One database: the larger server is the smaller one with members added.
    for (const members of SIZES) results.push(await measure(store, members));
  } finally {
    await dispose();
  }
  table([
    ['digest data', 'first run', 'median (5 more)', 'worst', 'target', 'result'],
    ...results.map((r) => [
      `${r.members.toLocaleString('en')} members, ${(r.members * PLAYS_PER_DAY * 7).toLocaleString('en')} plays in the week`,
      `${r.first.toFixed(0)} ms`,
      `${r.median.toFixed(0)} ms`,
      `${r.worst.toFixed(0)} ms`,
      r.members === MEMBERS ? `≤ ${TARGET_MS} ms` : '—',
      r.members === MEMBERS ? (r.worst <= TARGET_MS ? 'met' : 'MISSED') : '',
    ]),
  ]);
  for (const r of results)
    if (r.listeners < r.members)
      console.log(`NOT MEASURED: the ${r.members.toLocaleString('en')}-member digest counted ${r.listeners} listeners`);
  const [small, large] = results as [Measured, Measured];
  console.log(
    growth(
      'digest',
      'members',
      small.members,
      large.members,
      small.median,
      large.median,
      `target ≤ ${TARGET_MS} ms at ${small.members.toLocaleString('en')}: ${small.worst <= TARGET_MS ? 'met' : 'MISSED'}`,
    ),
  );
  for (const r of results)
    console.log(
      `(${r.members.toLocaleString('en')}: ${r.listeners} listeners in the digest; ${(r.members * PLAYS_PER_DAY * 7 * WEEKS).toLocaleString('en')} plays over ${WEEKS} weeks seeded in ${r.seedSeconds.toFixed(0)} s)`,
    );
  console.log(
    `(above ${MEMBERS.toLocaleString('en')} members, each further member repeats the history of one of the first ${MEMBERS.toLocaleString('en')}, copied in SQL)`,
  );
}

/** Grows the server to `members` opted-in members and times its digest data. */
async function measure(store: Store, members: number): Promise<Measured> {
  const history = createHistoryRepository(store.pool);
  const privacy = createPrivacyRepository(store);
  const social = createSocialRepository(store.pool);
  const start = Date.parse(`${WEEK}T00:00:00Z`) - WEEKS * 7 * DAY;
  const seeded = performance.now();
  const have = Number(
    (await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM guild_visibility WHERE guild_id = $1`, [GUILD]))
      .rows[0]!.n,
  );
  const written = Math.min(members, MEMBERS);
  for (let from = have; from < written; from += 8)
    await Promise.all(
      Array.from({ length: Math.min(8, written - from) }, async (_, k) => {
        const member = from + k;
        const id = String(MEMBER_BASE + BigInt(member));
        await privacy.save(id, { visibleIn: [GUILD], weeklyDm: false });
        // The digest reads who is opted in from the SQL mirror the bot keeps in step with the
        // privacy store; without it the digest is a quiet week with no listeners.
        await social.setVisible(id, GUILD, true);
        await history.insertPlays(id, playsOf(member, start, WEEKS * 7));
      }),
    );
  if (members > Math.max(have, written)) await copyMembers(store.pool, written, members);
  // Members of other servers, who must not slow this one down (nor appear); numbered past
  // every size so the copies above never meet them.
  if (!have)
    for (let member = 0; member < 200; member++) {
      const id = String(MEMBER_BASE + BigInt(OTHERS + member));
      await privacy.save(id, { visibleIn: ['other'], weeklyDm: false });
      await social.setVisible(id, 'other', true);
    }
  const seedSeconds = (performance.now() - seeded) / 1000;
  await store.pool.query('ANALYZE');

  const reader = createDigestReader(store);
  const times: number[] = [];
  let listeners = 0;
  for (let run = 0; run < 6; run++) {
    const t = performance.now();
    const digest = await computeDigest({ reader }, GUILD, WEEK, 'Europe/Berlin');
    times.push(performance.now() - t);
    listeners = digest.kind === 'digest' ? digest.listeners : 0;
  }
  const [first, ...warm] = times;
  const sorted = [...warm].sort((x, y) => x - y);
  return {
    members,
    first: first!,
    median: sorted[Math.floor(sorted.length / 2)]!,
    worst: Math.max(...times),
    listeners,
    seedSeconds,
  };
}

/**
 * Members `written` … `members - 1` as copies of the first `written` (member i repeats member
 * i mod written): every member-keyed row the seed wrote — plays, rollups, totals, visibility —
 * copied set-based, since writing 10,000 members' plays through the collector's path would take
 * the bench most of an hour.
 */
async function copyMembers(pool: pg.Pool, written: number, members: number): Promise<void> {
  const { rows } = await pool.query<{ table: string; columns: string[] }>(
    `SELECT c.table_name AS table, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       AND c.table_name IN (SELECT table_name FROM information_schema.columns
                            WHERE table_schema = 'public' AND column_name = 'member_id')
     GROUP BY 1`,
  );
  const db = await pool.connect();
  try {
    await db.query(`SET synchronous_commit = off`);
    // Bulk copy: foreign-key triggers off for this session (copies of consistent rows) and the
    // tables' indexes built once afterwards instead of row by row.
    await db.query(`SET session_replication_role = replica`).catch(() => {});
    await db.query(`SET maintenance_work_mem = '256MB'`);
    const filled: typeof rows = [];
    for (const r of rows) if ((await db.query(`SELECT 1 FROM ${r.table} LIMIT 1`)).rows.length) filled.push(r);
    // Only the member-keyed history tables: no other table's foreign key points at them.
    const restore = await withoutIndexes(
      db,
      filled.map((r) => r.table).filter((t) => t === 'plays' || t.startsWith('member_')),
    );
    for (const { table: name, columns } of filled) {
      const list = columns.map((c) => `"${c}"`).join(', ');
      const picked = columns
        .map((c) => (c === 'member_id' ? `(member_id::bigint + k * $2::bigint)::text` : `"${c}"`))
        .join(', ');
      await db.query(
        `INSERT INTO ${name} (${list})
         SELECT ${picked} FROM ${name}, generate_series(1, $3::int - 1) k
         WHERE member_id ~ '^[0-9]+$' AND member_id::bigint >= $1::bigint AND member_id::bigint < $1::bigint + $2::bigint
           AND member_id::bigint + k * $2::bigint < $1::bigint + $4::bigint`,
        [String(MEMBER_BASE), written, Math.ceil(members / written), members],
      );
    }
    await restore();
    await db.query(`SET session_replication_role = DEFAULT`).catch(() => {});
  } finally {
    db.release();
  }
}
