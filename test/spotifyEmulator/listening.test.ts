import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { createListening } from '../../emulators/spotify/listening.js';
import { seedWorld } from '../../emulators/spotify/seed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 10, 20, 21, 7, 13); // a Friday evening

describe('the emulator listens: rhythm and taste', () => {
  const world = seedWorld(42);
  const listening = createListening(world, 42);
  const month = listening.playsBetween('alice', T - 28 * DAY, T);

  it('is deterministic from the seed, whatever order intervals are asked in', () => {
    const again = createListening(seedWorld(42), 42);
    const later = again.playsBetween('alice', T - 14 * DAY, T);
    const earlier = again.playsBetween('alice', T - 28 * DAY, T - 14 * DAY);
    expect([...earlier, ...later]).toEqual(month);
    const other = createListening(seedWorld(7), 7).playsBetween('alice', T - 28 * DAY, T);
    expect(other.map((p) => p.playedAt)).not.toEqual(month.map((p) => p.playedAt));
  });

  it('plays one track at a time, each for at least 30 seconds', () => {
    for (let i = 1; i < month.length; i++)
      expect(month[i]!.playedAt - month[i]!.msPlayed).toBeGreaterThanOrEqual(month[i - 1]!.playedAt);
    expect(Math.min(...month.map((p) => p.msPlayed))).toBeGreaterThanOrEqual(30_000);
  });

  it('sleeps at night and listens most in the evening, in the user’s own time zone', () => {
    const offset = listening.profile('alice').utcOffset;
    const byLocalHour = Array.from({ length: 24 }, () => 0);
    for (const p of month) byLocalHour[(new Date(p.playedAt).getUTCHours() + offset + 24) % 24]!++;
    expect(byLocalHour.slice(2, 6)).toEqual([0, 0, 0, 0]);
    const evening = byLocalHour.slice(18, 23).reduce((a, b) => a + b, 0);
    const workday = byLocalHour.slice(9, 17).reduce((a, b) => a + b, 0);
    expect(evening).toBeGreaterThan(workday);
  });

  it('a heavy listener plays about as many tracks a day as their profile says (5 h ≈ 60–120 plays)', () => {
    const perDay = month.length / 28;
    expect(perDay).toBeGreaterThan(50);
    expect(perDay).toBeLessThan(130);
    expect(listening.playsBetween('erin', T - 28 * DAY, T).length / 28).toBeLessThan(perDay / 4);
  });

  it('clusters around a few artists and genres, not a uniform spread over the catalogue', () => {
    const byArtist = new Map<string, number>();
    for (const p of month) {
      const artist = world.tracks.get(p.trackId)!.artistIds[0]!;
      byArtist.set(artist, (byArtist.get(artist) ?? 0) + 1);
    }
    const top12 = [...byArtist.values()]
      .sort((a, b) => b - a)
      .slice(0, 12)
      .reduce((a, b) => a + b, 0);
    expect(top12 / month.length).toBeGreaterThan(0.5);
    const byGenre = new Map<string, number>();
    for (const p of month)
      for (const g of world.artists.get(world.tracks.get(p.trackId)!.artistIds[0]!)!.genres)
        byGenre.set(g, (byGenre.get(g) ?? 0) + 1);
    const top3 = [...byGenre.values()]
      .sort((a, b) => b - a)
      .slice(0, 3)
      .reduce((a, b) => a + b, 0);
    expect(top3 / month.length).toBeGreaterThan(0.6);
  });

  it('different users have different tastes', () => {
    const artistsOf = (user: string) =>
      new Set(listening.playsBetween(user, T - 7 * DAY, T).map((p) => world.tracks.get(p.trackId)!.artistIds[0]));
    const alice = artistsOf('alice');
    const bob = artistsOf('bob');
    const shared = [...alice].filter((a) => bob.has(a)).length;
    expect(shared / Math.min(alice.size, bob.size)).toBeLessThan(0.5);
  });

  it('a binge replaces what it overlaps and fills the 50-play window on its own', () => {
    const l = createListening(world, 42);
    const start = T - 6 * HOUR;
    const end = l.binge('bob', start, 70);
    const during = l.playsBetween('bob', start, end);
    expect(during).toHaveLength(70);
    for (let i = 1; i < during.length; i++)
      expect(during[i]!.playedAt - during[i]!.msPlayed).toBeGreaterThanOrEqual(during[i - 1]!.playedAt);
    expect(l.recent('bob', end)).toEqual(during.slice(-50).reverse());
  });
});

describe('GET /me/player/recently-played over the emulator’s clock', () => {
  let emulator: SpotifyEmulator;
  let now = T;
  let token: string;
  beforeAll(async () => {
    emulator = await startSpotifyEmulator({ now: () => now });
    token = emulator.issueTokens('alice').accessToken;
  });
  afterAll(() => emulator?.close());
  const get = async (query: string) => {
    const res = await fetch(`${emulator.apiUrl}/me/player/recently-played?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        items: Array<{
          played_at: string;
          track: { id: string; artists: unknown[]; album: { id: string } };
          context: { uri: string } | null;
        }>;
        cursors: { after?: string; before?: string };
      },
    };
  };
  const times = (items: Array<{ played_at: string }>) => items.map((i) => Date.parse(i.played_at));

  it('answers the last 50 plays up to now, newest first, with full tracks', async () => {
    const { status, body } = await get('limit=50');
    expect(status).toBe(200);
    const expected = emulator.listening.recent('alice', now, 50);
    expect(body.items).toHaveLength(50);
    expect(times(body.items)).toEqual(expected.map((p) => p.playedAt));
    expect(body.items.map((i) => i.track.id)).toEqual(expected.map((p) => p.trackId));
    expect(Math.max(...times(body.items))).toBeLessThanOrEqual(now);
    expect(body.items[0]!.track.artists.length).toBeGreaterThan(0);
    expect(body.items[0]!.context?.uri).toBe(`spotify:album:${body.items[0]!.track.album.id}`);
    expect(body.cursors).toEqual({ after: String(expected[0]!.playedAt), before: String(expected[49]!.playedAt) });
  });

  it('treats after and before as exclusive Unix-ms cursors and refuses both at once', async () => {
    const all = times((await get('limit=50')).body.items);
    expect(times((await get(`limit=50&after=${all[10]}`)).body.items)).toEqual(all.slice(0, 10));
    expect(times((await get(`limit=50&before=${all[10]}`)).body.items)).toEqual(all.slice(11));
    expect((await get(`limit=50&after=1&before=${all[0]}`)).status).toBe(400);
    expect((await get('limit=51')).status).toBe(400);
  });

  it('grows as the clock moves: what was played in between shows up, nothing else', async () => {
    const cursor = Math.max(...times((await get('limit=50')).body.items));
    const before = now;
    now += 90 * 60_000;
    token = emulator.issueTokens('alice').accessToken; // the old one lived an hour
    const fresh = times((await get(`limit=50&after=${cursor}`)).body.items);
    const played = emulator.listening
      .playsBetween('alice', cursor, now)
      .map((p) => p.playedAt)
      .reverse();
    expect(fresh).toEqual(played.slice(0, 50));
    expect(emulator.listening.playsBetween('alice', cursor, before)).toEqual([]);
  });
});
