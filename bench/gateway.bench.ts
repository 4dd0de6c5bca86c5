import { createLogger } from '../src/log.js';
import { createSpotifyGateway } from '../src/spotify/index.js';
import { startSpotifyEmulator } from '../emulators/spotify/index.js';
import { benchStore, table } from './support.js';

/**
 * Issue 3's gateway figures: for a scripted workload, requests the gateway sent vs what the same
 * calls would cost without coalescing and the shared genre cache; and the gateway's own cost per
 * request (0-latency emulator, gateway vs a bare fetch of the same URL).
 */
export default async function bench(): Promise<void> {
  const { store, dispose } = await benchStore();
  const emulator = await startSpotifyEmulator({ latencyMs: 15 });
  const gateway = createSpotifyGateway({
    apiUrl: emulator.apiUrl,
    accountsUrl: emulator.accountsUrl,
    clientId: 'b',
    clientSecret: 'b',
    store,
    log: createLogger('silent'),
    perSecond: 10_000,
    dailyBudget: 10_000_000,
  });
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const clients = users.map((u) => {
    const tokens = emulator.issueTokens(u, 'b');
    return gateway.forUser({ load: async () => tokens, save: async () => {} });
  });

  let asked = 0;
  const count = async <T>(n: number, work: Promise<T>) => ((asked += n), work);
  const start = emulator.requests.length;
  await Promise.all(
    clients.map(async (c) => {
      // A /chart burst: the same profile and top lists requested by three handlers at once.
      await Promise.all(
        Array.from({ length: 3 }, () =>
          count(
            4,
            Promise.all([c.me(), c.topArtists('short_term'), c.topTracks('short_term'), c.playlist('roadtrip1000')]),
          ),
        ),
      );
      // Genres of the member's top artists: the top-artists call already filled the cache.
      const top = await c.topArtists('short_term');
      asked += 1;
      await count(top.length, c.genresForArtists(top.map((a) => a.id)));
    }),
  );
  // Two members resolving the same 300 unknown artists at once (a server-wide sort).
  const unknown = emulator.world.artistList.slice(2500, 2800).map((a) => a.id);
  await Promise.all([
    count(unknown.length, clients[0]!.genresForArtists(unknown)),
    count(unknown.length, clients[1]!.genresForArtists(unknown)),
  ]);
  const sent = emulator.requests.length - start;
  const m = gateway.metrics();
  table([
    ['workload', 'requests asked for', 'requests sent', 'saved by coalescing', 'genre cache hits'],
    [
      '5 members: chart bursts + genre lookups',
      String(asked),
      String(sent),
      String(m.coalesced),
      String(m.genreCacheHits),
    ],
  ]);

  // Overhead: the same GET through the gateway and as a bare fetch, against a 0-latency emulator.
  emulator.control.latencyMs = 0;
  const tokens = emulator.issueTokens('alice', 'b');
  const client = gateway.forUser({ load: async () => tokens, save: async () => {} });
  const N = 400;
  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await fn();
    const t = performance.now();
    for (let i = 0; i < N; i++) await fn();
    return ((performance.now() - t) * 1000) / N;
  };
  const raw = await time(() =>
    fetch(`${emulator.apiUrl}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } }).then((r) =>
      r.json(),
    ),
  );
  const viaGateway = await time(() => client.me());
  console.log(
    `per request, sequential: bare fetch ${raw.toFixed(0)} µs, gateway ${viaGateway.toFixed(0)} µs → gateway overhead ${(viaGateway - raw).toFixed(0)} µs (breaker, budget, pacing, metrics, token check)`,
  );
  await emulator.close();
  await dispose();
}
