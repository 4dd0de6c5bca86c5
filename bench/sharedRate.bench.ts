import { startSpotifyEmulator } from '../emulators/spotify/index.js';
import { createLogger } from '../src/log.js';
import { createSpotifyGateway, type SharedRateStore } from '../src/spotify/index.js';
import { openStore } from '../src/store/index.js';
import { createSharedRateLimit } from '../src/store/sharedRateLimit.js';
import { benchStore, table } from './support.js';

const RATE = 20;
const SECONDS = 5;

/**
 * Issue 24 item 3: two processes of one app (two gateways, each on its own pool of one Postgres) keep
 * busy against one Spotify emulator on the wall clock; what Spotify receives from both together,
 * per second, against the configured rate. Also the Postgres round trips per request the shared
 * limiter costs, and the same two processes without it.
 */
export default async function bench(): Promise<void> {
  const { store, dispose } = await benchStore();
  const log = createLogger('silent');
  const second = await openStore({
    databaseUrl: store.pool.options.connectionString,
    dataDir: '/nonexistent',
    log,
  });
  const rows = [['processes', 'requests/s together', 'busiest second', 'round trips/request', 'target', '']];
  try {
    for (const shared of [true, false]) {
      const emulator = await startSpotifyEmulator({ latencyMs: 20 });
      let reserves = 0;
      const gateways = [store, second].map((s) => {
        const limiter = createSharedRateLimit(s.pool);
        const counted: SharedRateStore = {
          reserve: (request) => (reserves++, limiter.reserve(request)),
          pause: (bucket, until) => limiter.pause(bucket, until),
        };
        return createSpotifyGateway({
          apiUrl: emulator.apiUrl,
          accountsUrl: emulator.accountsUrl,
          clientId: `bench-${shared}`,
          clientSecret: 'b',
          store: s,
          log,
          perSecond: RATE,
          dailyBudget: 10_000_000,
          ...(shared ? { sharedRate: counted } : {}),
        });
      });
      const trackIds = [...emulator.world.tracks.keys()];
      const started = Date.now();
      let open = true;
      const work = gateways.flatMap((gateway, i) => {
        const client = (member: string) =>
          gateway.forUser({ load: async () => emulator.issueTokens(member, 'b'), save: async () => {} });
        // A sort's deep queue (more than the process's half of the window), and a member's one-at-a-time chart lookups.
        const sort = client(['alice', 'carol'][i]!);
        const deep = trackIds.slice(0, Math.ceil(RATE * SECONDS * 0.6)).map((id) => sort.track(id));
        const chart = client(['bob', 'dave'][i]!);
        const oneByOne = (async () => {
          for (const id of trackIds.slice(1_000)) if (open) await chart.track(id);
        })();
        return [...deep, oneByOne];
      });
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      open = false;
      const times = emulator.requests
        .filter((r) => r.path.startsWith('/tracks/') && r.at >= started && r.at < started + SECONDS * 1000)
        .map((r) => r.at);
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      const perSecond = times.length / SECONDS;
      // The average is the rate; a 1 s window of arrivals also sees timer lateness and HTTP jitter.
      const met = perSecond <= RATE && perSecond >= 0.9 * RATE && busiest <= 1.1 * RATE;
      rows.push([
        shared ? '2, shared rate' : '2, each alone (before)',
        perSecond.toFixed(1),
        String(busiest),
        shared ? (reserves / times.length).toFixed(2) : '0',
        `${0.9 * RATE}–${RATE}/s, busiest ≤ ${1.1 * RATE}`,
        met ? 'met' : 'missed',
      ]);
      await Promise.allSettled(work);
      await emulator.close();
    }
  } finally {
    await second.close();
    await dispose();
  }
  table(rows);
  console.log('busiest second: the most requests Spotify received in any 1 s window of the wall clock');
}
