import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import { GENRE_LOOKUP_CAPS } from '../../src/app/genres/resolveArtistGenres.js';
import { resolveGenresInBackground, resolveHistoryGenres } from '../../src/app/genres/resolveInBackground.js';
import { backgroundGenreSources } from '../../src/features/genres.js';
import { createMusicBrainzClient, createRequestSpacer } from '../../src/musicbrainz/index.js';
import { cachedArtistGenres } from '../../src/spotify/genreCache.js';
import type { SpotifyGateway } from '../../src/spotify/index.js';
import { createArtistCatalogue } from '../../src/store/artistCatalogue.js';
import { useTestStore } from '../support/database.js';
import { apiRequests, gatewayWorld } from '../spotify/setup.js';

const store = useTestStore();
let spotify: SpotifyEmulator;
let gateway: SpotifyGateway;
let tokensFor: (user: string) => ReturnType<Awaited<ReturnType<typeof gatewayWorld>>['tokensFor']>;
let mb: MusicBrainzEmulator;

/** MusicBrainz's clock: the spacer's waits move it instead of being sat out, and the emulator times requests by it. */
let mbTime = Date.parse('2026-11-30T12:00:00Z');
const mbClock = { now: () => mbTime, sleep: async (ms: number) => void (mbTime += ms) };

/** Seeded Spotify artists (unique names), by role in the tests below. */
let linked: { id: string; name: string }; // MusicBrainz links its Spotify URL
let byName: { id: string; name: string }; // MusicBrainz knows the name, not the link
let unknownWithGenres: { id: string; name: string; genres: string[] }; // MusicBrainz doesn't know; Spotify has genres
let unknownNoGenres: { id: string; name: string }; // nobody knows

beforeAll(async () => {
  const world = await gatewayWorld(store(), {}, { dailyBudget: 200, perSecond: 1_000 });
  ({ emulator: spotify, gateway, tokensFor } = world);
  const named = spotify.world.artistList.slice(500);
  linked = named.find((a) => a.genres.length > 0)!;
  byName = named.find((a) => a.genres.length > 0 && a !== linked)!;
  unknownWithGenres = named.find((a) => a.genres.length > 0 && a !== linked && a !== byName)!;
  unknownNoGenres = named.find((a) => a.genres.length === 0)!;
  mb = await startMusicBrainzEmulator({
    now: mbClock.now,
    artists: [
      // A namesake without the link, listed first: the exact link must win over the name.
      { id: 'mb-namesake', name: linked.name, tags: [{ name: 'polka', count: 50 }] },
      {
        id: 'mb-linked',
        name: `${linked.name} (the real one)`,
        spotifyIds: [linked.id],
        genres: [{ name: 'cool jazz', count: 9 }],
      },
      { id: 'mb-by-name', name: byName.name, tags: [{ name: 'post-rock', count: 4 }] },
    ],
  });
  const catalogue = store().pool;
  for (const a of [linked, byName, unknownWithGenres, unknownNoGenres])
    await catalogue.query('INSERT INTO artists (id, name) VALUES ($1, $2)', [a.id, a.name]);
}, 60_000);
afterAll(async () => {
  await mb?.close();
  await spotify?.close();
});

const musicbrainz = () =>
  createMusicBrainzClient({
    baseUrl: mb.url,
    version: '1.2.3',
    contactUrl: 'https://encore.example.com',
    spacer: createRequestSpacer(1_000, mbClock.now, mbClock.sleep),
  });
const sources = (withSpotify = true) =>
  backgroundGenreSources({
    store: store(),
    gateway,
    musicbrainz: musicbrainz(),
    warmingClient: withSpotify ? gateway.forUser(tokensFor('alice'), { priority: 'warming' }) : undefined,
  });
const artistLookups = () => apiRequests(spotify, '/artists/').length;

describe('the background genre resolver', () => {
  it('asks MusicBrainz by Spotify link first, then by name, and Spotify only for what MusicBrainz does not know', async () => {
    const run = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources());

    const catalogueOrder = [linked, byName, unknownWithGenres, unknownNoGenres].sort((a, b) => (a.id < b.id ? -1 : 1));
    const expected = catalogueOrder.flatMap((a) =>
      a === linked
        ? [`/ws/2/url ${a.id}`, '/ws/2/artist/mb-linked']
        : [`/ws/2/url ${a.id}`, `/ws/2/artist artist:"${a.name}"`],
    );
    expect(
      mb.requests.map((r) => `${r.path} ${r.query.resource?.split('/').pop() ?? r.query.query ?? ''}`.trim()),
    ).toEqual(expected);
    expect(
      mb.requests.every((r) => r.status !== 503 && r.userAgent === 'Encore/1.2.3 ( https://encore.example.com )'),
    ).toBe(true);
    const gaps = mb.requests.slice(1).map((r, i) => r.at - mb.requests[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);

    // Spotify: one GET /artists/{id} for each artist MusicBrainz did not know, none for the others.
    const spotifyPaths = spotify.requests
      .filter((r) => r.method === 'GET' && /\/artists\//.test(r.path))
      .map((r) => r.path);
    expect(spotifyPaths.sort()).toEqual(
      [unknownNoGenres.id, unknownWithGenres.id].map((id) => `/artists/${id}`).sort(),
    );
    expect(run).toMatchObject({
      fromMusicBrainz: 2,
      musicbrainzMisses: 2,
      spotifyRequests: 2,
      fromSpotify: 1,
      left: 0,
    });

    const cache = await cachedArtistGenres(store().namespace<string[]>('artist-genres'), [
      linked.id,
      byName.id,
      unknownWithGenres.id,
      unknownNoGenres.id,
    ]);
    expect(cache.get(linked.id)).toEqual(['cool jazz']);
    expect(cache.get(byName.id)).toEqual(['post-rock']);
    expect(cache.get(unknownWithGenres.id)).toEqual(unknownWithGenres.genres);
    expect(cache.get(unknownNoGenres.id)).toEqual([]);
  }, 60_000);

  it('remembers MusicBrainz misses for a while: the next run asks neither MusicBrainz nor Spotify again', async () => {
    const mbBefore = mb.requests.length;
    const spotifyBefore = spotify.requests.length;
    const run = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources());
    expect(mb.requests.length).toBe(mbBefore);
    expect(spotify.requests.length).toBe(spotifyBefore);
    expect(run).toMatchObject({ fromMusicBrainz: 0, musicbrainzMisses: 0, spotifyRequests: 0 });

    const { rows } = await store().pool.query<{ value: string }>('SELECT value FROM keyv WHERE key = $1', [
      `musicbrainz-misses:${unknownNoGenres.id}`,
    ]);
    const expires = JSON.parse(rows[0]!.value).expires as number;
    expect(expires - Date.now()).toBeGreaterThan(GENRE_LOOKUP_CAPS.musicbrainzMissTtlMs - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(GENRE_LOOKUP_CAPS.musicbrainzMissTtlMs);
  }, 60_000);

  it('spends Spotify only inside the warming share of the daily budget, and stops there', async () => {
    // Many history artists neither cache nor MusicBrainz knows (MusicBrainz misses remembered already).
    const fresh = spotify.world.artistList.slice(1_000, 1_200);
    for (const a of fresh) await store().pool.query('INSERT INTO artists (id, name) VALUES ($1, $2)', [a.id, a.name]);
    await backgroundGenreSources({ store: store(), gateway }).rememberMusicBrainzMisses(fresh.map((a) => a.id));
    const warmingLeft = await gateway.budget.remaining('warming');
    const interactiveLeft = await gateway.budget.remaining('interactive');
    expect(warmingLeft).toBeGreaterThan(0);
    expect(warmingLeft).toBeLessThan(fresh.length);
    const before = artistLookups();

    const run = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources(), { maxSpotify: 1_000 });

    expect(artistLookups() - before).toBe(warmingLeft);
    expect(run.spotifyRequests).toBe(warmingLeft);
    expect(run.stoppedBy).toBe('spotify.budgetExhausted');
    expect(run.left).toBe(fresh.length - warmingLeft);
    expect(await gateway.budget.remaining('warming')).toBe(0);
    // Interactive work keeps the rest of the day's budget.
    expect(await gateway.budget.remaining('interactive')).toBe(interactiveLeft - warmingLeft);
    expect(await gateway.budget.remaining('interactive')).toBeGreaterThan(0);
  }, 60_000);

  it('asks MusicBrainz about at most GENRE_LOOKUP_CAPS.musicbrainzArtistsPerBackgroundRun artists a run, and Spotify at most spotifyPerBackgroundRun; the rest waits for the next run', async () => {
    const cap = GENRE_LOOKUP_CAPS.musicbrainzArtistsPerBackgroundRun;
    const fresh = spotify.world.artistList.slice(1_400, 1_400 + cap + 10);
    for (const a of fresh) await store().pool.query('INSERT INTO artists (id, name) VALUES ($1, $2)', [a.id, a.name]);
    const mbBefore = mb.requests.length;
    const run = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources(false));
    const asked = new Set(
      mb.requests
        .slice(mbBefore)
        .map((r) => r.query.resource)
        .filter(Boolean),
    );
    expect(asked.size).toBe(cap);
    expect(run.musicbrainzMisses).toBe(cap);
    expect(run.left).toBe(10);
    // The next run asks about the ten left over, and no one again.
    const next = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources(false));
    expect(next.musicbrainzMisses).toBe(10);
    expect(next.left).toBe(0);

    // Spotify (here a source that would answer every artist): the per-run cap stops it.
    let calls = 0;
    const many = Array.from({ length: GENRE_LOOKUP_CAPS.spotifyPerBackgroundRun + 20 }, (_, i) => ({ id: `sp${i}` }));
    const capped = await resolveGenresInBackground(many, {
      cached: async () => new Map(),
      musicbrainzMisses: async () => new Set(),
      rememberMusicBrainzMisses: async () => {},
      remember: async () => {},
      spotifyWarming: async () => (calls++, ['rock']),
    });
    expect(calls).toBe(GENRE_LOOKUP_CAPS.spotifyPerBackgroundRun);
    expect(capped).toMatchObject({ spotifyRequests: calls, fromSpotify: calls, left: 20 });
  }, 60_000);

  it('without a warming client (a thrifty sort) sends no Spotify request at all', async () => {
    const fresh = spotify.world.artistList.slice(1_300, 1_310);
    for (const a of fresh) await store().pool.query('INSERT INTO artists (id, name) VALUES ($1, $2)', [a.id, a.name]);
    const before = spotify.requests.length;
    const run = await resolveHistoryGenres(createArtistCatalogue(store().pool), sources(false));
    expect(spotify.requests.length).toBe(before);
    expect(run.musicbrainzMisses).toBe(fresh.length);
    expect(run.spotifyRequests).toBe(0);
  }, 60_000);
});
