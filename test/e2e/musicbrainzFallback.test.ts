import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import { startSpotifyEmulator } from '../../emulators/spotify/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';

let mb: MusicBrainzEmulator;
let noGenreArtists: Array<{ id: string; name: string }>;
/** Bob's top artists of the last four weeks that Spotify gives no genres. */
let noGenreTopArtists: Array<{ id: string; name: string }>;

beforeAll(async () => {
  // The same seeded world the harness's Spotify emulator will have: find mixedbag's genre-less artists.
  const probe = await startSpotifyEmulator();
  const world = probe.world;
  const ids = new Set(
    world.playlists
      .get('mixedbag')!
      .items.flatMap((i) => (i.kind === 'track' ? world.tracks.get(i.id)!.artistIds : [])),
  );
  noGenreArtists = [...ids]
    .map((id) => world.artists.get(id)!)
    .filter((a) => a.genres.length === 0)
    .slice(0, 3);
  const tokens = probe.issueTokens('bob');
  const top = (await (
    await fetch(`${probe.apiUrl}/me/top/artists?time_range=short_term&limit=50`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
  ).json()) as { items: Array<{ id: string; name: string; genres: string[] }> };
  noGenreTopArtists = top.items.filter((a) => a.genres.length === 0);
  await probe.close();
  mb = await startMusicBrainzEmulator({
    artists: [
      ...noGenreArtists.map((a, i) => ({ id: `mb-${i}`, name: a.name, tags: [{ name: 'cool jazz', count: 12 }] })),
      ...noGenreTopArtists.map((a, i) => ({ id: `mb-top-${i}`, name: a.name, tags: [{ name: 'polka', count: 9 }] })),
    ],
  });
}, 60_000);
// After-all hooks run in reverse order: the bot closes first, then MusicBrainz.
afterAll(() => mb?.close());
const h = useEncoreHarness(() => ({ config: { MUSICBRAINZ_URL: mb.url } }));

describe('the MusicBrainz fallback', () => {
  it('finds genres for artists Spotify has none for, at most 10 lookups per sort, and caches them for everyone', async () => {
    expect(noGenreArtists.length).toBe(3);
    const alice = h.member('mb-alice');
    expect((await h.link(alice, 'alice')).status).toBe(200);
    const preview = await h.invoke('/sort', { playlist: 'mixedbag', min_tracks: 1 }, alice);
    expect(JSON.stringify(preview.final!.embeds)).toContain('Mixed bag 🎧 · Jazz');
    expect(mb.requests.length).toBeGreaterThan(0);
    expect(mb.requests.length).toBeLessThanOrEqual(10);
    expect(mb.requests.every((r) => /^Encore\/\S+ \( http:\/\/127\.0\.0\.1:\d+ \)$/.test(r.userAgent ?? ''))).toBe(
      true,
    );
    const { rows } = await h.encore.store.pool.query<{ value: string }>(`SELECT value FROM keyv WHERE key = $1`, [
      `artist-genres:${noGenreArtists[0]!.id}`,
    ]);
    expect(JSON.parse(rows[0]!.value).value).toEqual(['cool jazz']);
  }, 60_000);

  it('gives /chart top-genres the same fallback: artists Spotify has no genres for get MusicBrainz’s', async () => {
    expect(noGenreTopArtists.length).toBeGreaterThan(0);
    const carol = h.member('mb-chart');
    expect((await h.link(carol, 'bob')).status).toBe(200);
    const before = mb.requests.length;
    const chart = await h.invoke('/chart', { kind: 'top-genres', range: 'short_term' }, carol);
    const alt = chart.final!.files[0]!.description ?? '';
    expect(mb.requests.length).toBeGreaterThan(before);
    expect(alt).toMatch(/Folk|polka/i);
    expect(JSON.stringify(chart.final!.embeds) + alt).not.toContain(
      `${noGenreTopArtists.length} without a known genre`,
    );
  }, 60_000);
});
