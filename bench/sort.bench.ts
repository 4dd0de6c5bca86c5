import { isPreview, previewSplit, runSplitJob, sourceMarker } from '../src/app/sort/index.js';
import { naiveSplitRequests, splitRequestLowerBound } from '../src/core/sort/index.js';
import { createLogger } from '../src/log.js';
import { createSpotifyGateway } from '../src/spotify/index.js';
import { createSortJobRepository } from '../src/store/sortJobs.js';
import { createSortedSourcesRepository } from '../src/store/sortedSources.js';
import { genreSourcesFor } from '../src/features/genres.js';
import { sortSpotifyFor } from '../src/spotify/sortSpotify.js';
import { startSpotifyEmulator } from '../emulators/spotify/index.js';
import { benchStore, table } from './support.js';

/**
 * Issue 7's figures: a split of 100, 1,000 and 10,000 tracks against the emulator with latency,
 * cold and warm artist cache. Requests made vs the lower bound vs the seed's naive way, and wall
 * time vs (lower bound × latency ÷ concurrency).
 */
const LATENCY_MS = 20;
const CONCURRENCY = 6;

export default async function bench(): Promise<void> {
  const { store, dispose } = await benchStore();
  const emulator = await startSpotifyEmulator({ latencyMs: LATENCY_MS });
  const gateway = createSpotifyGateway({
    apiUrl: emulator.apiUrl,
    accountsUrl: emulator.accountsUrl,
    clientId: 'bench',
    clientSecret: 'bench',
    store,
    log: createLogger('silent'),
    concurrency: CONCURRENCY,
    perSecond: 10_000,
    dailyBudget: 10_000_000,
  });
  const tokens = emulator.issueTokens('alice', 'bench');
  const client = gateway.forUser({ load: async () => tokens, save: async () => {} });
  const spotify = sortSpotifyFor(client, gateway, async () => 'alice', genreSourcesFor(client, gateway));
  const jobs = createSortJobRepository(store);
  const sorted = createSortedSourcesRepository(store);
  // A 100-track playlist made from the 1,000-track one.
  const source = emulator.world.playlists.get('roadtrip1000')!;
  emulator.world.playlists.set('hundred', {
    ...source,
    id: 'hundred',
    name: 'Hundred',
    items: source.items.slice(0, 100),
  });

  const rows = [
    [
      'tracks',
      'cache',
      'preview + write ms',
      'requests',
      'lower bound',
      'naive (seed)',
      'wall ms',
      'bound × latency ÷ concurrency',
      'ratio',
      'target ≤ 2×',
    ],
  ];
  for (const [playlistId, n] of [
    ['hundred', 100],
    ['roadtrip1000', 1_000],
    ['everything10k', 10_000],
  ] as const) {
    await store.pool.query(`DELETE FROM keyv WHERE key LIKE 'artist-genres:%'`);
    for (const cache of ['cold', 'warm']) {
      // Each row is a member's first sort of this playlist, by a member whose record (of other
      // sorts) is complete: there is nothing earlier to look for, as for most sorts.
      const member = `bench-${n}-${cache}`;
      await sorted.seed(member, ['someotherplaylist']);
      const before = emulator.requests.length;
      const started = performance.now();
      const preview = await previewSplit(
        { discordUserId: member, playlistId, minTracksPerGenre: 5, mode: 'parent' },
        { spotify, jobs },
      );
      const previewMs = performance.now() - started;
      const outcome = await runSplitJob(preview.jobId, { spotify, jobs, sorted }, isPreview);
      const wall = performance.now() - started;
      if (outcome.kind !== 'done') throw new Error(`bench sort did not finish: ${outcome.kind}`);
      const made = emulator.requests.length - before;
      const a = preview.analysis;
      const workload = {
        itemCount: a.counts.items,
        uncachedArtistCount: a.uncachedArtists,
        playlistSizes: a.playlists.map((p) => p.trackUris.length),
      };
      const bound = splitRequestLowerBound(workload).total;
      const ideal = (bound * LATENCY_MS) / CONCURRENCY;
      rows.push([
        String(n),
        cache,
        `${previewMs.toFixed(0)} + ${(wall - previewMs).toFixed(0)}`,
        String(made),
        String(bound),
        String(naiveSplitRequests({ ...workload, trackCount: a.counts.tracks })),
        wall.toFixed(0),
        ideal.toFixed(0),
        (wall / ideal).toFixed(2),
        wall / ideal <= 2 ? 'met' : 'missed',
      ]);
      // The member deletes what the sort made, so the next row writes everything again instead of
      // adopting these playlists (which a second sort of the same source would do).
      for (const [id, playlist] of emulator.world.playlists)
        if (playlist.description.includes(sourceMarker(playlistId))) emulator.world.playlists.delete(id);
    }
  }
  table(rows);
  console.log(`(emulator latency ${LATENCY_MS} ms per request, ${CONCURRENCY} requests in flight at most)`);
  console.log(
    'the first item page comes embedded in GET /playlists/{id} (name, owner, snapshot), so that read counts as the first of the ceil(N/50) pages.',
  );
  await emulator.close();
  await dispose();
}
