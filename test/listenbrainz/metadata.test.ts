import { afterEach, describe, expect, it } from 'vitest';
import {
  startListenBrainzEmulator,
  type ListenBrainzEmulator,
  type ListenBrainzEmulatorOptions,
} from '../../emulators/listenbrainz/index.js';
import { createListenBrainzClient, listenBrainzArtistGenres } from '../../src/listenbrainz/index.js';

let emulator: ListenBrainzEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

let clock = Date.UTC(2026, 11, 7, 12);

const PORTISHEAD = '8f6bd1e4-fbe1-4f50-aa9b-94c450ec0f11';
const GLORY_BOX = 'e97f805a-ab48-4c52-855e-07049142113d';
const BEDROOM = '0b0f3b3a-0000-4000-8000-0000000000bb';
const DUET = '0f0e2d3c-1111-4111-8111-0000000000d1';
const GUEST = '0b0f3b3a-0000-4000-8000-0000000000cc';

// Shaped after ListenBrainz's own example (listenbrainz/testdata/mb_metadata_cache_example.json).
const metadata: ListenBrainzEmulatorOptions['metadata'] = {
  artists: [
    {
      mbid: PORTISHEAD,
      name: 'Portishead',
      tags: [
        { tag: 'trip hop', count: 13, genre_mbid: '45eb1d9c-588c-4dc8-9394-a14b7c8f02bc' },
        { tag: 'downtempo', count: 6, genre_mbid: 'cc38aba3-48ed-439a-83b9-f81a34a66598' },
        { tag: 'trip-hop', count: 7 },
        { tag: 'seen live', count: 20 },
      ],
    },
    {
      mbid: GUEST,
      name: 'Guest Singer',
      tags: [{ tag: 'soul', count: 4, genre_mbid: 'aaaaaaaa-0000-4000-8000-000000000001' }],
    },
  ],
  recordings: [
    {
      mbid: GLORY_BOX,
      name: 'Glory Box',
      artists: [{ mbid: PORTISHEAD, name: 'Portishead' }],
      tags: [{ tag: 'electronic', count: 3, genre_mbid: '89255676-1f14-4dd8-bbad-fca839d6aff4' }],
    },
    {
      // A bedroom act with no tags of its own: only its one recording is tagged.
      mbid: '0f0e2d3c-1111-4111-8111-0000000000b1',
      name: 'Tape 1',
      artists: [{ mbid: BEDROOM, name: 'Obscure Bedroom Act' }],
      tags: [
        { tag: 'lo-fi', count: 2 },
        { tag: 'favourite', count: 5 },
      ],
    },
    {
      mbid: DUET,
      name: 'Duet',
      artists: [
        { mbid: PORTISHEAD, name: 'Portishead' },
        { mbid: GUEST, name: 'Guest Singer' },
      ],
      tags: [{ tag: 'jazz', count: 9 }],
    },
  ],
};

async function setup(options: ListenBrainzEmulatorOptions = {}) {
  emulator = await startListenBrainzEmulator({ now: () => clock, users: [], metadata, ...options });
  const client = createListenBrainzClient({
    baseUrl: emulator.url,
    version: '1.2.3',
    contact: 'https://encore.example.com',
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
  });
  return { emulator, client };
}

describe('ListenBrainz metadata: tags without Spotify', () => {
  it('reads recordings and their artists’ tags in one POST, genre-marked tags marked, unknown recordings absent', async () => {
    const { emulator, client } = await setup();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const found = await client.recordingTags([GLORY_BOX, unknown, GLORY_BOX.toUpperCase(), 'not-an-mbid']);

    expect([...found.keys()]).toEqual([GLORY_BOX]);
    expect(found.get(GLORY_BOX)).toEqual({
      artists: [{ mbid: PORTISHEAD, name: 'Portishead' }],
      artistTags: expect.arrayContaining([
        { artistMbid: PORTISHEAD, tag: 'trip hop', count: 13, genreMbid: '45eb1d9c-588c-4dc8-9394-a14b7c8f02bc' },
        { artistMbid: PORTISHEAD, tag: 'trip-hop', count: 7 },
      ]),
      recordingTags: [{ tag: 'electronic', count: 3, genreMbid: '89255676-1f14-4dd8-bbad-fca839d6aff4' }],
    });
    // One request; ids cleaned and deduplicated first, since one bad id fails the whole request.
    expect(emulator.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/1/metadata/recording/', 200],
    ]);
    expect(emulator.requests[0]!.userAgent).toBe('Encore/1.2.3 ( https://encore.example.com )');
  });

  it('sends a thousand recordings a request, no more', async () => {
    const { emulator, client } = await setup();
    const many = Array.from({ length: 2_345 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await client.recordingTags(many);
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('reads artists by MBID, a hundred to a GET', async () => {
    const { emulator, client } = await setup();
    const many = [
      PORTISHEAD,
      ...Array.from({ length: 150 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    ];
    const found = await client.artistTags(many);
    expect([...found.keys()]).toEqual([PORTISHEAD]);
    expect(found.get(PORTISHEAD)?.tags.map((t) => t.tag)).toEqual(['trip hop', 'downtempo', 'trip-hop', 'seen live']);
    expect(
      emulator.requests.map((r) => [r.method, r.path, r.query.artist_mbids?.split(',').length, r.query.inc]),
    ).toEqual([
      ['GET', '/1/metadata/artist/', 100, 'tag'],
      ['GET', '/1/metadata/artist/', 51, 'tag'],
    ]);
  });

  it('finds artists’ genres by MBID, else through a recording, in two requests for all of them', async () => {
    const { emulator, client } = await setup();
    const found = await listenBrainzArtistGenres(client, [
      { id: 'name:portishead', name: 'Portishead', mbid: PORTISHEAD },
      // No artist MBID: found in its recording's credit as the only artist; its recording's tags speak for it.
      {
        id: 'name:obscure bedroom act',
        name: 'Obscure Bedroom Act',
        recordingMbid: '0f0e2d3c-1111-4111-8111-0000000000b1',
      },
      // A duet: the artist is picked out of the credit by name, and only its own tags count.
      { id: 'name:guest singer', name: 'guest  SINGER', recordingMbid: DUET },
      { id: 'name:nobody', name: 'Nobody', recordingMbid: '00000000-0000-4000-8000-000000000009' },
      { id: 'name:no ids', name: 'No Ids' },
    ]);
    expect(Object.fromEntries(found)).toEqual({
      // Curated genres first; "trip-hop" (not a genre) folds onto "trip hop"; "seen live" never counts.
      'name:portishead': { genres: ['trip hop', 'downtempo'], mbid: PORTISHEAD },
      'name:obscure bedroom act': { genres: ['lo-fi'], mbid: BEDROOM },
      'name:guest singer': { genres: ['soul'], mbid: GUEST },
    });
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /1/metadata/artist/',
      'POST /1/metadata/recording/',
    ]);
  });

  it('tags the seeded world’s artists with their genres, so emulated members’ artists can be classified', async () => {
    const { client } = await setup({ metadata: undefined });
    const track = emulator!.catalogue.find(
      (t) => t.spotifyId && t.artists.length === 1 && t.artists[0]!.genres?.length,
    )!;
    const artist = track.artists[0]!;
    const found = await listenBrainzArtistGenres(client, [
      { id: artist.spotifyId!, recordingMbid: track.recordingMbid },
    ]);
    expect(found.get(artist.spotifyId!)).toEqual({ genres: [...new Set(artist.genres)], mbid: artist.mbid });
  });

  it('waits out a 429 as for listens: the metadata endpoints share the rate limit', async () => {
    const { emulator, client } = await setup({ rateLimit: { perIp: 1, windowSec: 10 } });
    await client.artistTags([PORTISHEAD]);
    const found = await client.artistTags([PORTISHEAD]);
    expect(found.has(PORTISHEAD)).toBe(true);
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(emulator.requests[1]!.at - emulator.requests[0]!.at).toBeGreaterThan(0);
  });
});

describe('the ListenBrainz emulator’s metadata endpoints', () => {
  const post = (body: unknown) =>
    fetch(`${emulator!.url}/1/metadata/recording/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('refuses what ListenBrainz refuses, with its messages', async () => {
    await setup();
    expect(await post({ recording_mbids: ['nope'], inc: 'tag' })).toEqual({
      status: 400,
      body: { code: 400, error: 'recording_mbid nope is not valid.' },
    });
    expect((await post({ recording_mbids: [], inc: 'tag' })).body.error).toBe(
      'At least one valid recording_mbid must be present.',
    );
    const tooMany = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await post({ recording_mbids: tooMany })).body.error).toBe(
      'Maximum number of recordings_mbids that can be fetched at once is 1000',
    );
    expect((await post({ recording_mbids: [GLORY_BOX], inc: 'tags' })).body.error).toBe(
      "invalid inc argument 'tags'. Must be one of artist, tag, release, recording, release_group.",
    );
  });

  it('answers only the parts asked for with inc, keyed by recording MBID, on GET as on POST', async () => {
    await setup();
    const bare = await post({ recording_mbids: [GLORY_BOX] });
    expect(Object.keys(bare.body[GLORY_BOX] as object)).toEqual(['recording']);
    const got = await fetch(`${emulator!.url}/1/metadata/recording/?recording_mbids=${GLORY_BOX}&inc=artist%20tag`);
    const body = (await got.json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(body[GLORY_BOX]!).sort()).toEqual(['artist', 'recording', 'tag']);
    expect(got.headers.get('X-RateLimit-Limit')).not.toBeNull();
  });
});
