import { wrappedFor } from '../src/app/digest/weeklyWrapped.js';
import type { NewPlay } from '../src/app/history/ports.js';
import { createDigestReader } from '../src/store/digest/digestStore.js';
import { createHistoryRepository } from '../src/store/history/historyRepository.js';
import { benchStore, table } from './support.js';

const PLAYS = 25_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const TARGET_MS = 300;
const GENRES = ['pop', 'rock', 'hip hop', 'electronic', 'jazz', 'classical', 'folk', 'unclassified'];

/** /wrapped year (issue 14): the data for a member with 25,000 plays in the year, rendering excluded. Target ≤ 300 ms. */
export default async function wrappedBench(): Promise<void> {
  const { store, dispose } = await benchStore();
  try {
    const history = createHistoryRepository(store.pool);
    const memberId = '300000000000000001';
    let seed = 42;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const start = NOW - 364 * DAY;
    const plays: NewPlay[] = Array.from({ length: PLAYS }, (_, i) => {
      const artist = next() < 0.7 ? Math.floor(next() * 60) : Math.floor(next() * 2_000);
      const track = Math.floor(next() * 8);
      return {
        playedAt: start + Math.floor((i * 364 * DAY) / PLAYS),
        track: {
          id: `t${artist}-${track}`,
          name: `Track ${track} of artist ${artist}`,
          durationMs: 200_000,
          artists: [{ id: `a${artist}`, name: `Artist ${artist}` }],
        },
        msPlayed: 180_000,
        msEstimated: false,
        source: 'imported',
        genre: GENRES[artist % GENRES.length]!,
      };
    });
    for (let i = 0; i < plays.length; i += 5_000) await history.insertPlays(memberId, plays.slice(i, i + 5_000));
    await store.pool.query('ANALYZE');
    const reader = createDigestReader(store);
    const times: number[] = [];
    let counted = 0;
    for (let run = 0; run < 8; run++) {
      const t = performance.now();
      const wrapped = await wrappedFor(reader, memberId, 'year', NOW);
      times.push(performance.now() - t);
      counted = wrapped?.plays ?? 0;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const p95 = sorted[Math.ceil(sorted.length * 0.95) - 1]!;
    table([
      ['/wrapped year data', 'median', 'worst', 'target', 'result'],
      [
        `${counted.toLocaleString('en')} plays in the year`,
        `${median.toFixed(0)} ms`,
        `${p95.toFixed(0)} ms`,
        `≤ ${TARGET_MS} ms`,
        p95 <= TARGET_MS ? 'met' : 'MISSED',
      ],
    ]);
    console.log(`(8 runs; database: ${store.kind})`);
  } finally {
    await dispose();
  }
}
