import { afterEach, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { isPreview, previewSplit, runSplitJob, sourceMarker } from '../../src/app/sort/index.js';
import { genreSourcesFor } from '../../src/features/genres.js';
import { createLogger } from '../../src/log.js';
import { createSpotifyGateway } from '../../src/spotify/index.js';
import { createSortMemberCache } from '../../src/spotify/sortMemberCache.js';
import { sortSpotifyFor } from '../../src/spotify/sortSpotify.js';
import { createSortJobRepository } from '../../src/store/sortJobs.js';
import { createSortedSourcesRepository } from '../../src/store/sortedSources.js';
import { useTestStore } from '../support/database.js';

const testStore = useTestStore();
let emulator: SpotifyEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Alice's Spotify in the emulator, sorted through the production adapter and the real job stores. */
async function aliceSorts() {
  const store = testStore();
  const spotifyEmulator = (emulator = await startSpotifyEmulator());
  const gateway = createSpotifyGateway({
    apiUrl: spotifyEmulator.apiUrl,
    accountsUrl: spotifyEmulator.accountsUrl,
    clientId: 'test',
    clientSecret: 'test',
    store,
    log: createLogger('silent'),
  });
  const tokens = spotifyEmulator.issueTokens('alice', 'test');
  const client = gateway.forUser({ load: async () => tokens, save: async () => {} });
  const members = createSortMemberCache();
  const jobs = createSortJobRepository(store);
  const sorted = createSortedSourcesRepository(store);
  const requestsDuring = async (work: () => Promise<unknown>) => {
    const before = spotifyEmulator.requests.length;
    await work();
    return spotifyEmulator.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  };
  /** Previews and confirms a split; `release` is the previous one, which kept no record of sorts. */
  const sort = (member: string, playlistId: string, release: 'this' | 'previous' = 'this') =>
    requestsDuring(async () => {
      const spotify = sortSpotifyFor(client, gateway, members.meId(member, client), genreSourcesFor(client, gateway));
      const preview = await previewSplit(
        { discordUserId: member, playlistId, minTracksPerGenre: 1, mode: 'parent' },
        { spotify, jobs },
      );
      const outcome = await runSplitJob(
        preview.jobId,
        { spotify, jobs, ...(release === 'this' ? { sorted } : {}) },
        isPreview,
      );
      expect(outcome.kind).toBe('done');
    });
  /** The playlists a sort of this source made in alice's library, with how many items each holds. */
  const madeFrom = (playlistId: string) =>
    [...spotifyEmulator.world.playlists.values()]
      .filter((p) => p.ownerId === 'alice' && p.description.includes(sourceMarker(playlistId)))
      .map((p) => [p.name, p.items.length] as const)
      .sort();
  return { sort, madeFrom, sorted };
}

const lookedForEarlier = (requests: string[]) => requests.some((r) => r === 'GET /me/playlists');
const creates = (requests: string[]) => requests.filter((r) => r === 'POST /me/playlists').length;

describe('a split looks for playlists an earlier sort made only where there can be some', () => {
  it('a first sort of a playlist, by a member whose record holds other sorts, never reads their playlists', async () => {
    const { sort, madeFrom, sorted } = await aliceSorts();
    await sorted.seed('m-first', ['someotherplaylist']);
    const requests = await sort('m-first', 'smallone');
    expect(lookedForEarlier(requests)).toBe(false);
    expect(creates(requests)).toBe(madeFrom('smallone').length);
    expect(madeFrom('smallone').length).toBeGreaterThan(0);
  });

  it('a member who sorted the playlist before gets its earlier playlists adopted, with no duplicate', async () => {
    const { sort, madeFrom, sorted } = await aliceSorts();
    await sorted.seed('m-again', []);
    expect(lookedForEarlier(await sort('m-again', 'smallone'))).toBe(false);
    const first = madeFrom('smallone');

    const again = await sort('m-again', 'smallone');
    expect(lookedForEarlier(again)).toBe(true);
    expect(creates(again)).toBe(0);
    expect(madeFrom('smallone')).toEqual(first);
  });

  it('a member from before the record existed is looked for as before, and their earlier sorts are found from then on', async () => {
    const { sort, madeFrom, sorted } = await aliceSorts();
    // Sorted with the previous release: playlists exist, no record of the sort does.
    await sort('m-old', 'mixedbag', 'previous');
    const mixed = madeFrom('mixedbag');
    expect(mixed.length).toBeGreaterThan(0);

    // With no record, the first sort looks (as before), which also records the sources found.
    expect(lookedForEarlier(await sort('m-old', 'smallone'))).toBe(true);
    expect(await sorted.lookup('m-old', 'roadtrip1000')).toEqual({ known: true, sorted: false });
    const again = await sort('m-old', 'mixedbag');
    expect(lookedForEarlier(again)).toBe(true);
    expect(creates(again)).toBe(0);
    expect(madeFrom('mixedbag')).toEqual(mixed);
  });

  it('/unlink forgets the record: the member is looked for again, as one from before', async () => {
    const { sort, sorted } = await aliceSorts();
    await sorted.seed('m-gone', []);
    await sort('m-gone', 'smallone');
    expect(await sorted.deleteForUser('m-gone')).toBe(2);
    expect(await sorted.lookup('m-gone', 'smallone')).toEqual({ known: false, sorted: false });
    expect(lookedForEarlier(await sort('m-gone', 'smallone'))).toBe(true);
  });
});
