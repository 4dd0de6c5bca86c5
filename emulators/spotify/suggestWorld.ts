import { seededRandom } from './random.js';
import type { EAlbum, ETrack, World } from './seed.js';

const DAY = 86_400_000;

/**
 * Adds `count` more users (listener1 … listenerN) for evaluations that need a crowd: each with
 * top items, followed artists and saved tracks drawn from their own random stream, so the seeded
 * world the other users and tests see is unchanged.
 */
export function addListeners(world: World, seed: number, count: number): string[] {
  const r = seededRandom(seed ^ 0x5eed1157);
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `listener${i}`;
    const pickArtists = (n: number) => Array.from({ length: n }, () => r.pick(world.artistList).id);
    const pickTracks = (n: number) => Array.from({ length: n }, () => r.pick(world.trackList).id);
    world.users.set(id, {
      id,
      displayName: `Listener ${i}`,
      topArtists: { short_term: pickArtists(50), medium_term: pickArtists(50), long_term: pickArtists(50) },
      topTracks: { short_term: pickTracks(50), medium_term: pickTracks(50), long_term: pickTracks(50) },
      followedArtists: pickArtists(40),
      savedTracks: pickTracks(60).map((t, k) => ({
        id: t,
        addedAt: new Date(Date.UTC(2026, 0, 1) + k * DAY).toISOString(),
      })),
    });
    ids.push(id);
  }
  return ids;
}

/**
 * Adds `count` recent albums (1–5 tracks each) by artists that already have tracks, released in
 * the 60 days before `now` (so some fall inside search's `tag:new`, "released in the past two
 * weeks"). Appended after everything else, so the rest of the world is unchanged.
 */
export function addNewReleases(world: World, seed: number, now: number, count: number): EAlbum[] {
  const r = seededRandom(seed ^ 0x0ea1ea5e);
  const withTracks = [...new Set(world.trackList.map((t) => t.artistIds[0]!))];
  const added: EAlbum[] = [];
  for (let i = 0; i < count; i++) {
    const artistId = r.pick(withTracks);
    const releasedMs = Math.floor((now - r.int(0, 60) * DAY) / DAY) * DAY;
    const released = new Date(releasedMs).toISOString().slice(0, 10);
    const album: EAlbum = { id: r.id(), name: `New ${r.int(1, 999)}`, releaseDate: released, artistIds: [artistId] };
    world.albums.set(album.id, album);
    (world.releasedAt ??= new Map()).set(album.id, releasedMs);
    added.push(album);
    for (let k = r.int(1, 5); k > 0; k--) {
      const track: ETrack = {
        id: r.id(),
        name: `Fresh ${r.int(1, 9999)}`,
        artistIds: [artistId],
        albumId: album.id,
        durationMs: r.int(120_000, 300_000),
        isrc: `QZ${String(r.int(0, 9_999_999)).padStart(10, '0')}`,
      };
      world.tracks.set(track.id, track);
      world.trackList.push(track);
      (world.releasedAt ??= new Map()).set(track.id, releasedMs);
    }
  }
  return added;
}
