import type { LeaderboardMetric, SocialPeriod } from '../src/app/social/ports.js';
import { createSocialRepository } from '../src/store/social/socialRepository.js';
import { BENCH_GUILD, BENCH_TODAY, buildServer, type ServerShape } from './social.bench.js';
import { benchStore, growth } from './support.js';

/**
 * A small share of the social bench's plays per member (100 to 700 over the year), so that the
 * 5,000-member server (about 2 million plays) builds in minutes on a shared 2-core machine.
 */
const SHAPES: readonly ServerShape[] = [
  { members: 500, playsMin: 100, playsSpread: 600 },
  { members: 5_000, playsMin: 100, playsSpread: 600 },
];
const RUNS = 10;
/** The social bench's target for every leaderboard, at the 500-member size it was set for. */
const TARGET_MS = 100;
const METRICS: LeaderboardMetric[] = ['minutes', 'plays', 'artists', 'diversity', 'discoveries'];
const PERIODS: SocialPeriod[] = ['week', 'month', 'year', 'all'];

interface Size {
  members: number;
  plays: number;
  buildSeconds: number;
  /** p50 and p95 in ms per "metric period". */
  times: Map<string, { p50: number; p95: number }>;
}

/**
 * How /leaderboard's cost grows with the server (issue 24 item 6): every metric and period on a
 * 500-member and a 5,000-member server with the same history per member, database included,
 * rendering excluded. The import, digest and sort sections print their own two sizes.
 */
export default async function scaleBench(): Promise<void> {
  const sizes: Size[] = [];
  for (const shape of SHAPES) sizes.push(await measure(shape));
  const [small, large] = sizes as [Size, Size];
  for (const s of sizes)
    console.log(
      `built ${s.plays.toLocaleString('en')} plays of ${s.members.toLocaleString('en')} members in ${s.buildSeconds.toFixed(0)} s`,
    );
  const verdict = (p95: number) => (p95 <= TARGET_MS ? 'met' : 'MISSED');
  let smallSum = 0;
  let largeSum = 0;
  for (const key of small.times.keys()) {
    const a = small.times.get(key)!;
    const b = large.times.get(key)!;
    smallSum += a.p50;
    largeSum += b.p50;
    console.log(
      growth(
        `/leaderboard ${key} p50`,
        'members',
        small.members,
        large.members,
        a.p50,
        b.p50,
        `target p95 ≤ ${TARGET_MS} ms: ${verdict(a.p95)} at ${small.members} (${a.p95.toFixed(1)} ms), ` +
          `${verdict(b.p95)} at ${large.members.toLocaleString('en')} (${b.p95.toFixed(1)} ms)`,
      ),
    );
  }
  console.log(growth('/leaderboard, all 20 (sum of p50)', 'members', small.members, large.members, smallSum, largeSum));
  console.log(`(${RUNS} warm runs each after 2 warm-up runs; plays per member 100–700 at both sizes)`);
}

async function measure(shape: ServerShape): Promise<Size> {
  const { store, dispose } = await benchStore();
  try {
    const started = performance.now();
    const client = await store.pool.connect();
    let plays: number;
    try {
      plays = await buildServer(client, shape);
    } finally {
      client.release();
    }
    const buildSeconds = (performance.now() - started) / 1000;
    const repo = createSocialRepository(store.pool);
    const times = new Map<string, { p50: number; p95: number }>();
    for (const metric of METRICS)
      for (const period of PERIODS) {
        const run = () => repo.leaderboard(BENCH_GUILD, metric, period, BENCH_TODAY);
        await run();
        await run();
        const t: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const s = performance.now();
          await run();
          t.push(performance.now() - s);
        }
        t.sort((x, y) => x - y);
        times.set(`${metric} ${period}`, {
          p50: t[Math.floor((t.length - 1) / 2)]!,
          p95: t[Math.ceil(t.length * 0.95) - 1]!,
        });
      }
    return { members: shape.members, plays, buildSeconds, times };
  } finally {
    await dispose();
  }
}
