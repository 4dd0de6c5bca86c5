import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLastfmEmulator, type LastfmEmulator } from '../../emulators/lastfm/server.js';
import { startListenBrainzEmulator, type ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import { resolveHistoryGenres, type ArtistCatalogue } from '../../src/app/genres/resolveInBackground.js';
import { backgroundGenreSources } from '../../src/features/genres.js';
import { createLastfmClient } from '../../src/lastfm/index.js';
import { createListenBrainzClient } from '../../src/listenbrainz/index.js';
import { createMusicBrainzClient, createRequestSpacer } from '../../src/musicbrainz/index.js';
import type { SpotifyGateway } from '../../src/spotify/index.js';
import { useTestStore } from '../support/database.js';
import { gatewayWorld } from '../spotify/setup.js';

// Issue 23 item 6: members who listen through ListenBrainz or Last.fm bring artists Spotify has no id
// for (`name:` ids). Their genres must come from sources that spend no Spotify quota, land in the
// one shared cache under the artist's own id, and be read back through gateway.cachedGenres.

const store = useTestStore();
let spotify: SpotifyEmulator;
let gateway: SpotifyGateway;
let tokensFor: Awaited<ReturnType<typeof gatewayWorld>>['tokensFor'];
let lb: ListenBrainzEmulator;
let mb: MusicBrainzEmulator;
let lastfm: LastfmEmulator;

/** One clock for the three services: clients' waits move it, emulators time requests by it. */
let time = Date.parse('2026-12-07T12:00:00Z');
const clock = { now: () => time, sleep: async (ms: number) => void (time += ms) };

const PORTISHEAD = '8f6bd1e4-fbe1-4f50-aa9b-94c450ec0f11';
const TAPE = '0f0e2d3c-1111-4111-8111-0000000000b1';
const BEDROOM = '0b0f3b3a-0000-4000-8000-0000000000bb';
const MB_ONLY = '0b0f3b3a-0000-4000-8000-0000000000dd';
const SPOTIFY_ARTIST_MBID = '0b0f3b3a-0000-4000-8000-0000000000ee';

let spotifyArtist: { id: string; name: string };

/** The history's artists as the catalogue gives them to the resolver job, by role below. */
const artists = () => [
  { id: 'name:portishead', name: 'Portishead', mbid: PORTISHEAD }, // ListenBrainz, by artist MBID
  { id: 'name:obscure bedroom act', name: 'Obscure Bedroom Act', recordingMbid: TAPE }, // ListenBrainz, by a recording
  { id: 'name:mb only', name: 'MB Only', mbid: MB_ONLY }, // MusicBrainz by MBID
  { id: 'name:tagged on lastfm', name: 'Tagged On Lastfm' }, // Last.fm's tags, by name
  { id: 'name:nobody', name: 'Nobody Knows' }, // nobody: a miss
  { ...spotifyArtist, mbid: SPOTIFY_ARTIST_MBID }, // a Spotify artist ListenBrainz knows: no Spotify request either
];
const catalogue = (): ArtistCatalogue => ({
  async artists(after, limit) {
    return artists()
      .filter((a) => a.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  },
});

beforeAll(async () => {
  ({ emulator: spotify, gateway, tokensFor } = await gatewayWorld(store(), {}, { perSecond: 1_000 }));
  spotifyArtist = spotify.world.artistList.slice(500).find((a) => a.genres.length > 0)!;
  lb = await startListenBrainzEmulator({
    now: clock.now,
    users: [],
    metadata: {
      artists: [
        {
          mbid: PORTISHEAD,
          name: 'Portishead',
          tags: [
            { tag: 'trip hop', count: 13, genre_mbid: '45eb1d9c-588c-4dc8-9394-a14b7c8f02bc' },
            { tag: 'seen live', count: 30 },
          ],
        },
        { mbid: SPOTIFY_ARTIST_MBID, name: spotifyArtist.name, tags: [{ tag: 'cool jazz', count: 5 }] },
      ],
      recordings: [
        {
          mbid: TAPE,
          name: 'Tape 1',
          artists: [{ mbid: BEDROOM, name: 'Obscure Bedroom Act' }],
          tags: [{ tag: 'lo-fi', count: 2 }],
        },
      ],
    },
  });
  mb = await startMusicBrainzEmulator({
    now: clock.now,
    artists: [{ id: MB_ONLY, name: 'MB Only', genres: [{ name: 'krautrock', count: 3 }] }],
  });
  lastfm = await startLastfmEmulator({
    now: clock.now,
    artistTags: [
      {
        name: 'Tagged On Lastfm',
        tags: [
          { name: 'seen live', count: 100 },
          { name: 'afrobeat', count: 70 },
          { name: 'female vocalists', count: 50 },
        ],
      },
    ],
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([lb?.close(), mb?.close(), lastfm?.close(), spotify?.close()]);
});

const sources = () =>
  backgroundGenreSources({
    store: store(),
    gateway,
    musicbrainz: createMusicBrainzClient({
      baseUrl: mb.url,
      version: '1.2.3',
      contactUrl: 'https://encore.example.com',
      spacer: createRequestSpacer(1_000, clock.now, clock.sleep),
    }),
    listenbrainz: createListenBrainzClient({
      baseUrl: lb.url,
      version: '1.2.3',
      contact: 'https://encore.example.com',
      now: clock.now,
      sleep: clock.sleep,
    }),
    lastfm: createLastfmClient({
      apiKey: lastfm.apiKey,
      sharedSecret: lastfm.sharedSecret,
      apiUrl: lastfm.apiUrl,
      userAgent: 'Encore/1.2.3 (+https://encore.example.com)',
      now: clock.now,
      sleep: clock.sleep,
    }),
    // Spotify is allowed: what matters is that it is never needed.
    warmingClient: gateway.forUser(tokensFor('alice'), { priority: 'warming' }),
  });

describe('genres without Spotify ids', () => {
  it('finds genres for artists known only by name and MBID, with no Spotify request at all', async () => {
    const run = await resolveHistoryGenres(catalogue(), sources());

    const ids = artists().map((a) => a.id);
    const cached = await gateway.cachedGenres(ids);
    expect(Object.fromEntries(cached)).toEqual({
      'name:portishead': ['trip hop'],
      'name:obscure bedroom act': ['lo-fi'],
      'name:mb only': ['krautrock'],
      'name:tagged on lastfm': ['afrobeat'],
      [spotifyArtist.id]: ['cool jazz'],
    });
    expect(spotify.requests).toEqual([]);
    expect(run).toMatchObject({
      fromListenBrainz: 3,
      fromMusicBrainz: 1,
      fromLastfm: 1,
      musicbrainzMisses: 1,
      spotifyRequests: 0,
      fromSpotify: 0,
      left: 0,
    });

    // ListenBrainz: every artist with an MBID in one GET, the one known by a recording in one POST.
    expect(lb.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /1/metadata/artist/ 200',
      'POST /1/metadata/recording/ 200',
    ]);
    expect(lb.requests[0]!.query.artist_mbids!.split(',').sort()).toEqual(
      [MB_ONLY, PORTISHEAD, SPOTIFY_ARTIST_MBID].sort(),
    );
    // Then one at a time: MusicBrainz by MBID; Last.fm's tags; MusicBrainz by name as the last resort.
    expect(mb.requests.map((r) => `${r.path} ${r.query.query ?? ''}`.trim())).toEqual([
      `/ws/2/artist/${MB_ONLY}`,
      '/ws/2/artist artist:"Nobody Knows"',
    ]);
    expect(lastfm.requests.map((r) => r.query.artist)).toEqual(['Nobody Knows', 'Tagged On Lastfm']);
  });

  it('asks nobody again on the next run: found artists are cached, the miss is remembered', async () => {
    const before = [lb.requests.length, mb.requests.length, lastfm.requests.length];
    const run = await resolveHistoryGenres(catalogue(), sources());
    expect([lb.requests.length, mb.requests.length, lastfm.requests.length]).toEqual(before);
    expect(run.found.size).toBe(0);
    expect(spotify.requests).toEqual([]);
  });

  it('leaves an artist for the next run, not as a miss, when a source fails rather than answers', async () => {
    const later = (): ArtistCatalogue => ({
      artists: async (after) =>
        after === ''
          ? [
              { id: 'name:portishead (live)', name: 'Portishead', mbid: PORTISHEAD },
              { id: 'name:tagged on lastfm (remix)', name: 'Tagged On Lastfm' },
            ]
          : [],
    });
    lb.control.failNext(503);
    lastfm.control.rateLimitStorm = true;
    const failing = await resolveHistoryGenres(later(), sources());
    expect(failing).toMatchObject({ musicbrainzMisses: 0, left: 2, spotifyRequests: 0 });
    expect(failing.found.size).toBe(0);

    lastfm.control.rateLimitStorm = false;
    const recovered = await resolveHistoryGenres(later(), sources());
    expect(Object.fromEntries(recovered.found)).toEqual({
      'name:portishead (live)': ['trip hop'],
      'name:tagged on lastfm (remix)': ['afrobeat'],
    });
    expect(recovered).toMatchObject({ fromListenBrainz: 1, fromLastfm: 1, musicbrainzMisses: 0, left: 0 });
    expect(spotify.requests).toEqual([]);
  });
});
