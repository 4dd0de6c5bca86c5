import { computeDigest } from '../src/app/digest/digest.js';
import { createDigestReader } from '../src/store/digest/digestStore.js';
import { createHistoryRepository } from '../src/store/history/historyRepository.js';
import { createPrivacyRepository } from '../src/store/accounts/privacyRepository.js';
import type { NewPlay } from '../src/app/history/ports.js';
import { benchStore, table } from './support.js';

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

/**
 * One server's digest data (issue 14): 1,000 opted-in members with a week of history each (and
 * three weeks before it), computed as the job does — the opted-in set from the privacy namespace,
 * then the rollup and plays queries. Rendering excluded. Target ≤ 2 s.
 */
export default async function digestBench(): Promise<void> {
  const { store, dispose } = await benchStore();
  try {
    const history = createHistoryRepository(store.pool);
    const privacy = createPrivacyRepository(store);
    const guildId = '100000000000000001';
    const start = Date.parse(`${WEEK}T00:00:00Z`) - WEEKS * 7 * DAY;
    const seeded = performance.now();
    for (let from = 0; from < MEMBERS; from += 8)
      await Promise.all(
        Array.from({ length: Math.min(8, MEMBERS - from) }, async (_, k) => {
          const member = from + k;
          const id = String(200000000000000000n + BigInt(member));
          await privacy.save(id, { visibleIn: [guildId], weeklyDm: false });
          await history.insertPlays(id, playsOf(member, start, WEEKS * 7));
        }),
      );
    // Members of other servers, who must not slow this one down (nor appear).
    for (let member = MEMBERS; member < MEMBERS + 200; member++)
      await privacy.save(String(200000000000000000n + BigInt(member)), { visibleIn: ['other'], weeklyDm: false });
    const seedSeconds = (performance.now() - seeded) / 1000;
    await store.pool.query('ANALYZE');

    const reader = createDigestReader(store);
    const times: number[] = [];
    let listeners = 0;
    for (let run = 0; run < 6; run++) {
      const t = performance.now();
      const digest = await computeDigest({ reader }, guildId, WEEK, 'Europe/Berlin');
      times.push(performance.now() - t);
      listeners = digest.kind === 'digest' ? digest.listeners : 0;
    }
    const [first, ...warm] = times;
    const sorted = [...warm].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const worst = Math.max(...times);
    table([
      ['digest data', 'first run', 'median (5 more)', 'worst', 'target', 'result'],
      [
        `${MEMBERS.toLocaleString('en')} members, ${(MEMBERS * PLAYS_PER_DAY * 7).toLocaleString('en')} plays in the week`,
        `${first!.toFixed(0)} ms`,
        `${median.toFixed(0)} ms`,
        `${worst.toFixed(0)} ms`,
        `≤ ${TARGET_MS} ms`,
        worst <= TARGET_MS ? 'met' : 'MISSED',
      ],
    ]);
    console.log(
      `(${listeners} listeners in the digest; ${(MEMBERS * PLAYS_PER_DAY * 7 * WEEKS).toLocaleString('en')} plays over ${WEEKS} weeks seeded in ${seedSeconds.toFixed(0)} s; database: ${store.kind})`,
    );
  } finally {
    await dispose();
  }
}
