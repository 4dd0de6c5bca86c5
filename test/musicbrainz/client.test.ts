import { afterEach, describe, expect, it } from 'vitest';
import {
  createMusicBrainzClient,
  createRequestSpacer,
  MusicBrainzError,
  type MusicBrainzClientOptions,
} from '../../src/musicbrainz/index.js';
import { seedArtists, seedRecordings } from '../../emulators/musicbrainz/seed.js';
import {
  startMusicBrainzEmulator,
  type MusicBrainzEmulator,
  type MusicBrainzEmulatorOptions,
} from '../../emulators/musicbrainz/server.js';

let emulator: MusicBrainzEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: MusicBrainzEmulatorOptions = {}) {
  emulator = await startMusicBrainzEmulator({ artists: seedArtists, recordings: seedRecordings, ...options });
  return emulator;
}

/** A client with its own 1 req/s spacer, so test files cannot slow each other down. */
function client(overrides: Partial<MusicBrainzClientOptions> = {}) {
  return createMusicBrainzClient({
    baseUrl: emulator?.url,
    version: '1.2.3',
    contactUrl: 'https://encore.example.com',
    spacer: createRequestSpacer(1_000),
    ...overrides,
  });
}

const gaps = (requests: ReadonlyArray<{ at: number }>) => requests.slice(1).map((r, i) => r.at - requests[i]!.at);

describe('the MusicBrainz fallback', () => {
  it('is off, and sends nothing, when MUSICBRAINZ_URL is unset', async () => {
    const server = await start();
    const off = client({ baseUrl: undefined });
    expect(off.isConfigured).toBe(false);
    expect(await off.genresByIsrc('GBAYE9700111')).toBeUndefined();
    expect(await off.genresByArtistName('Radiohead')).toBeUndefined();
    expect(server.requests).toEqual([]);
    expect(client().isConfigured).toBe(true);
  });

  it('finds a recording’s genres by ISRC, dropping tags that are not genres, with a proper User-Agent', async () => {
    const server = await start();
    expect(await client().genresByIsrc('gb-aye-97-00111')).toEqual({
      genres: ['alternative rock', 'progressive rock'],
      mbid: '0f0e2d3c-1111-4111-8111-000000000001',
      source: 'recording',
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      path: '/ws/2/isrc/GBAYE9700111',
      query: { fmt: 'json', inc: 'artist-credits+tags+genres' },
      userAgent: 'Encore/1.2.3 ( https://encore.example.com )',
      status: 200,
    });
  });

  it('falls back on the main artist’s genres when the recording has none, a second apart', async () => {
    const server = await start();
    expect(await client().genresByIsrc('USSM19902991')).toEqual({
      genres: ['pop', 'r&b', 'dance-pop'],
      mbid: 'f27ec8db-af05-4f36-916e-3d57f91ecf5e',
      source: 'artist',
    });
    expect(server.requests.map((r) => [r.path, r.status])).toEqual([
      ['/ws/2/isrc/USSM19902991', 200],
      ['/ws/2/artist/f27ec8db-af05-4f36-916e-3d57f91ecf5e', 200],
    ]);
    expect(gaps(server.requests)[0]).toBeGreaterThanOrEqual(950);
  });

  it('finds an artist’s genres by name: curated genres first, then tags by votes, noise dropped', async () => {
    const server = await start();
    expect(await client().genresByArtistName('  radiohead ')).toEqual({
      genres: ['alternative rock', 'art rock', 'electronic'],
      mbid: 'a74b1b7f-71a5-4011-9441-d0b5e4122711',
      source: 'artist',
    });
    expect(server.requests[0]?.query).toMatchObject({ query: 'artist:"radiohead"', fmt: 'json' });
  });

  it('finds an artist by its exact Spotify link (url lookup with artist-rels, then the artist), not by a namesake', async () => {
    const server = await start({
      minIntervalMs: 0,
      artists: [
        ...seedArtists,
        // The same name as the seeded Radiohead, but this one is linked to the Spotify artist.
        {
          id: 'mb-linked',
          name: 'Radiohead',
          spotifyIds: ['4Z8W4fKeB5YxbusRsdQVPb'],
          tags: [{ name: 'post-rock', count: 2 }],
        },
      ],
    });
    const quick = client({ spacer: createRequestSpacer(0) });
    expect(await quick.genresBySpotifyArtist('4Z8W4fKeB5YxbusRsdQVPb')).toEqual({
      genres: ['post-rock'],
      mbid: 'mb-linked',
      source: 'artist',
    });
    expect(await quick.genresBySpotifyArtist('0000000000000000000000')).toBeUndefined(); // MusicBrainz has no such link
    expect(await quick.genresBySpotifyArtist('not/an id')).toBeUndefined(); // never sent
    expect(server.requests.map((r) => [r.path, r.query.resource, r.query.inc, r.status])).toEqual([
      ['/ws/2/url', 'https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb', 'artist-rels', 200],
      ['/ws/2/artist/mb-linked', undefined, 'genres+tags', 200],
      ['/ws/2/url', 'https://open.spotify.com/artist/0000000000000000000000', 'artist-rels', 404],
    ]);
  });

  it('answers undefined for unknown ISRCs, weak name matches and artists with only noise tags', async () => {
    const server = await start({ minIntervalMs: 0 });
    const quick = client({ spacer: createRequestSpacer(0) });
    expect(await quick.genresByIsrc('XXAAA0000000')).toBeUndefined();
    expect(await quick.genresByIsrc('not an isrc')).toBeUndefined();
    expect(await quick.genresByArtistName('Beatles')).toBeUndefined(); // partial match, score 70
    expect(await quick.genresByArtistName('Obscure Bedroom Act')).toBeUndefined();
    expect(await quick.genresByArtistName('   ')).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual([
      '/ws/2/isrc/XXAAA0000000',
      '/ws/2/artist',
      '/ws/2/artist',
      '/ws/2/artist/0b0f3b3a-0000-4000-8000-00000000000a',
    ]);
  });

  it('escapes quotes in artist names for the search query', async () => {
    const server = await start({ minIntervalMs: 0 });
    await client({ spacer: createRequestSpacer(0) }).genresByArtistName('The "Band"');
    expect(server.requests[0]?.query.query).toBe('artist:"The \\"Band\\""');
  });

  it('sends at most one request per second, even when lookups start together', async () => {
    const server = await start();
    const shared = client();
    const results = await Promise.all([
      shared.genresByIsrc('GBAYE9700111'),
      shared.genresByArtistName('The Beatles'),
      shared.genresByArtistName('Sigur Rós'),
    ]);
    expect(results.map((r) => r?.genres[0])).toEqual(['alternative rock', 'rock', 'post-rock']);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const gap of gaps(server.requests)) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('shares one process-wide limiter between clients by default', async () => {
    const server = await start();
    const options = { baseUrl: server.url, version: '1.2.3', contactUrl: 'https://encore.example.com' };
    const [a, b] = [createMusicBrainzClient(options), createMusicBrainzClient(options)];
    await Promise.all([a.genresByArtistName('Radiohead'), b.genresByArtistName('The Beatles')]);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(gaps(server.requests)[0]).toBeGreaterThanOrEqual(950);
  });

  it('retries once after a 503, and reports a second 503 as a typed error', async () => {
    const server = await start({ minIntervalMs: 1_000 });
    const tooFast = client({ spacer: createRequestSpacer(600) });
    await tooFast.genresByArtistName('Radiohead');
    expect(await tooFast.genresByArtistName('The Beatles')).toMatchObject({ genres: ['rock', 'british invasion'] });
    expect(server.requests.map((r) => r.status)).toEqual([200, 503, 200]);
    const reckless = client({ spacer: createRequestSpacer(0) });
    const failure = reckless.genresByArtistName('Radiohead');
    await expect(failure).rejects.toBeInstanceOf(MusicBrainzError);
    await expect(failure).rejects.toMatchObject({ status: 503 });
    expect(server.requests.map((r) => r.status)).toEqual([200, 503, 200, 503, 503]);
  });
});

describe('the MusicBrainz emulator', () => {
  it('refuses requests with a library’s default User-Agent, as the real service does', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/artist?query=Radiohead&fmt=json`);
    expect(response.status).toBe(403);
  });
});
