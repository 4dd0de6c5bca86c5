import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListening } from '../../emulators/spotify/listening.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { seedWorld } from '../../emulators/spotify/seed.js';
import { addListeners, addNewReleases } from '../../emulators/spotify/suggestWorld.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30);

/** The share of a user's plays whose main artist is among another user's 12 most played. */
function sharedArtistShare(world: ReturnType<typeof seedWorld>, a: string[], b: string[]): number {
  const main = (id: string) => world.tracks.get(id)!.artistIds[0]!;
  const counts = new Map<string, number>();
  for (const id of b) counts.set(main(id), (counts.get(main(id)) ?? 0) + 1);
  const top = new Set(
    [...counts]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 12)
      .map(([id]) => id),
  );
  return a.filter((id) => top.has(main(id))).length / a.length;
}

describe('the emulator world for suggestions', () => {
  it('plants taste clusters: users of one cluster share favourite artists, users of different clusters hardly', () => {
    const world = seedWorld(42);
    addListeners(world, 42, 4);
    // Clusters are dealt round robin: alice (0), carol (2), erin (4), listener1 (6) in one; bob (1), dave (3) in the other.
    const listening = createListening(world, 42, {}, { clusters: 2 });
    const plays = (id: string) => listening.playsBetween(id, NOW - 28 * DAY, NOW).map((p) => p.trackId);
    const [alice, carol, bob] = [plays('alice'), plays('carol'), plays('bob')];
    const sameCluster = sharedArtistShare(world, alice, carol);
    const otherCluster = sharedArtistShare(world, alice, bob);
    expect(sameCluster).toBeGreaterThan(0.15);
    expect(otherCluster).toBeLessThan(0.05);
    expect(sameCluster).toBeGreaterThan(5 * otherCluster);
    // Deterministic from the seed.
    expect(createListening(world, 42, {}, { clusters: 2 }).playsBetween('alice', NOW - DAY, NOW)).toEqual(
      listening.playsBetween('alice', NOW - DAY, NOW),
    );
  });

  it('leaves the default world as it was when no clusters are asked for', () => {
    const plain = createListening(seedWorld(42), 42).playsBetween('alice', NOW - 2 * DAY, NOW);
    const world = seedWorld(42);
    const unchanged = createListening(world, 42, {}, { clusters: 0 }).playsBetween('alice', NOW - 2 * DAY, NOW);
    expect(unchanged).toEqual(plain);
  });

  it('never plays a new release before its release date', () => {
    const world = seedWorld(42);
    const albums = addNewReleases(world, 42, NOW, 800);
    const listening = createListening(world, 42, {}, { clusters: 2 });
    let fresh = 0;
    for (const user of ['alice', 'bob', 'carol']) {
      for (const play of listening.playsBetween(user, NOW - 60 * DAY, NOW)) {
        const at = world.releasedAt?.get(play.trackId);
        if (at === undefined) continue;
        fresh++;
        expect(play.playedAt - play.msPlayed).toBeGreaterThanOrEqual(at);
      }
    }
    expect(albums.length).toBe(800);
    expect(fresh).toBeGreaterThan(0);
  });
});

describe('the emulator API for suggestions', () => {
  let emulator: SpotifyEmulator;
  let token: string;
  const get = async <T>(path: string) => {
    const res = await fetch(`${emulator.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  beforeAll(async () => {
    emulator = await startSpotifyEmulator({ now: () => NOW, newReleases: 300 });
    token = emulator.issueTokens('alice').accessToken;
  });
  afterAll(async () => emulator?.close());

  it('answers the library check for tracks and artists, 40 URIs at most', async () => {
    const alice = emulator.world.users.get('alice')!;
    const saved = alice.savedTracks[0]!.id;
    const notSaved = emulator.world.trackList.find((t) => !alice.savedTracks.some((s) => s.id === t.id))!.id;
    const followed = alice.followedArtists[0]!;
    const { status, body } = await get<boolean[]>(
      `/me/library/contains?uris=spotify:track:${saved},spotify:track:${notSaved},spotify:artist:${followed}`,
    );
    expect(status).toBe(200);
    expect(body).toEqual([true, false, true]);
    const tooMany = Array.from({ length: 41 }, () => `spotify:track:${saved}`).join(',');
    expect((await get(`/me/library/contains?uris=${tooMany}`)).status).toBe(400);
  });

  it('finds albums of the past two weeks with tag:new, and lists an artist’s albums newest first, 10 a page', async () => {
    const { body } = await get<{ albums: { items: Array<{ release_date: string }>; total: number } }>(
      `/search?q=${encodeURIComponent('tag:new')}&type=album&limit=10`,
    );
    expect(body.albums.total).toBeGreaterThan(0);
    for (const album of body.albums.items)
      expect(Date.parse(album.release_date)).toBeGreaterThanOrEqual(NOW - 14 * DAY);

    const artist = emulator.world.artistList.find(
      (a) => [...emulator.world.albums.values()].filter((al) => al.artistIds.includes(a.id)).length > 3,
    )!;
    const page = await get<{ items: Array<{ release_date: string }> }>(`/artists/${artist.id}/albums?limit=10`);
    const dates = page.body.items.map((a) => a.release_date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect((await get(`/artists/${artist.id}/albums?limit=11`)).status).toBe(400);
  });

  it('filters track search by genre', async () => {
    const { body } = await get<{ tracks: { items: Array<{ artists: Array<{ id: string }> }> } }>(
      `/search?q=${encodeURIComponent('genre:"uk garage"')}&type=track&limit=10`,
    );
    expect(body.tracks.items.length).toBe(10);
    for (const t of body.tracks.items)
      expect(t.artists.some((a) => emulator.world.artists.get(a.id)!.genres.includes('uk garage'))).toBe(true);
  });
});
