import { historyChartData, type HistoryChartDeps } from '../src/app/charts/historyChart.js';
import type { MemberChartKind } from '../src/app/charts/memberChart.js';
import type { NewPlay } from '../src/app/history/ports.js';
import { PARENT_GENRES } from '../src/core/genres/index.js';
import { listeningClock } from '../src/core/history/index.js';
import { createHistoryRepository } from '../src/store/history/historyRepository.js';
import { benchStore, table } from './support.js';

const MIN = 60_000;
const DAY = 86_400_000;
const PLAYS = 25_000;
const TARGET_MS = 50;
const RUNS = 30;
const NOW = Date.UTC(2026, 10, 30, 20);
const MEMBER = '100000000000000001';

/** A year of one member's listening: 25k plays of 2,000 tracks by 300 artists, evenings mostly. */
function yearOfPlays(): NewPlay[] {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const genres = PARENT_GENRES.map((g) => g.id);
  const plays: NewPlay[] = [];
  let at = NOW - 365 * DAY;
  const step = (365 * DAY) / PLAYS;
  for (let i = 0; i < PLAYS; i++) {
    at += step * (0.5 + random());
    const t = Math.floor(random() ** 2 * 2_000);
    const a = t % 300;
    plays.push({
      playedAt: Math.floor(at / 1000) * 1000,
      track: {
        id: `track${t}`,
        name: `Track ${t}`,
        durationMs: 180_000 + (t % 60) * 1000,
        artists: [{ id: `artist${a}`, name: `Artist ${a}` }],
      },
      msPlayed: 180_000 + (t % 60) * 1000,
      msEstimated: true,
      source: 'collected',
      genre: genres[a % genres.length]!,
    });
  }
  return plays;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/**
 * The time to build a member's year chart data from 25k plays (issue 13: ≤ 50 ms, rendering
 * excluded): the use case as /chart runs it, SQL on the real Postgres tables (rollups for top
 * artists, genres and the genre mix; the plays for top tracks and the listening clock, which is
 * bucketed in the member's time zone), median and p95 of 30 runs after a warm-up.
 */
export default async function historyChartsBench(): Promise<void> {
  const { store, dispose } = await benchStore();
  try {
    const repo = createHistoryRepository(store.pool);
    const plays = yearOfPlays();
    for (let i = 0; i < plays.length; i += 2_000) await repo.insertPlays(MEMBER, plays.slice(i, i + 2_000));
    await store.pool.query('ANALYZE');
    const deps: HistoryChartDeps = {
      history: repo,
      timeZoneOf: async () => 'America/New_York',
      spotify: () => Promise.reject(new Error('the bench never falls back to Spotify')),
    };
    const rows = [['year chart', 'median', 'p95', 'target', 'result']];
    const kinds: MemberChartKind[] = ['top-artists', 'top-tracks', 'top-genres', 'listening-clock', 'genre-mix'];
    for (const kind of kinds) {
      const times: number[] = [];
      for (let run = -3; run < RUNS; run++) {
        const started = performance.now();
        const chart = await historyChartData(kind, 'year', MEMBER, NOW, deps);
        if (!chart.fromHistory) throw new Error(`${kind} fell back to Spotify`);
        if (run >= 0) times.push(performance.now() - started);
      }
      const m = median(times);
      rows.push([
        kind,
        `${m.toFixed(1)} ms`,
        `${p95(times).toFixed(1)} ms`,
        `≤ ${TARGET_MS} ms`,
        m <= TARGET_MS ? 'met' : 'MISSED',
      ]);
    }
    table(rows);
    const timed = plays.map((p) => ({ playedAt: p.playedAt, ms: p.msPlayed ?? 0 }));
    const clock: number[] = [];
    for (let run = 0; run < 10; run++) {
      const started = performance.now();
      listeningClock(timed, 'America/New_York');
      clock.push(performance.now() - started);
    }
    console.log(
      `(${PLAYS.toLocaleString('en')} plays over a year, one member; of the listening clock, bucketing alone in a DST zone takes ${median(clock).toFixed(1)} ms, the rest is Postgres; ${(plays.length / 365).toFixed(0)} plays a day, ${Math.round((PLAYS * 3.5 * MIN) / 3_600_000)} h)`,
    );
  } finally {
    await dispose();
  }
}
