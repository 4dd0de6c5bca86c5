import { afterEach, describe, expect, it } from 'vitest';
import { seedArtists } from '../../emulators/musicbrainz/seed.js';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import { createMusicBrainzClient, createRequestSpacer } from '../../src/musicbrainz/index.js';

let emulator: MusicBrainzEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** MusicBrainz's clock: the spacer's waits move it, and the emulator times requests by it. */
let time = Date.UTC(2026, 11, 7, 12);
const spacer = () =>
  createRequestSpacer(
    1_000,
    () => time,
    async (ms) => void (time += ms),
  );

async function setup() {
  emulator = await startMusicBrainzEmulator({ artists: seedArtists, now: () => time });
  return createMusicBrainzClient({
    baseUrl: emulator.url,
    version: '1.2.3',
    contactUrl: 'https://encore.example.com',
    spacer: spacer(),
  });
}

describe('MusicBrainz by artist MBID', () => {
  it('looks the artist up by its MBID: curated genres first, tags that are not genres dropped', async () => {
    const client = await setup();
    const radiohead = 'A74B1B7F-71A5-4011-9441-D0B5E4122711';
    expect(await client.genresByArtistMbid(radiohead)).toEqual({
      genres: ['alternative rock', 'art rock', 'electronic'],
      mbid: radiohead.toLowerCase(),
      source: 'artist',
    });
    expect(emulator!.requests.map((r) => [r.path, r.query.inc, r.status])).toEqual([
      ['/ws/2/artist/a74b1b7f-71a5-4011-9441-d0b5e4122711', 'genres+tags', 200],
    ]);
  });

  it('answers undefined for an unknown MBID, one without genres, and sends nothing for a malformed one', async () => {
    const client = await setup();
    expect(await client.genresByArtistMbid('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await client.genresByArtistMbid('0b0f3b3a-0000-4000-8000-00000000000a')).toBeUndefined();
    expect(await client.genresByArtistMbid('name:radiohead')).toBeUndefined();
    expect(emulator!.requests.map((r) => r.status)).toEqual([404, 200]);
    // One request a second, as for every MusicBrainz lookup.
    expect(emulator!.requests[1]!.at - emulator!.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('sends nothing when MusicBrainz is not configured', async () => {
    await setup();
    const off = createMusicBrainzClient({ baseUrl: undefined, version: '1', contactUrl: 'https://x.example' });
    expect(await off.genresByArtistMbid('a74b1b7f-71a5-4011-9441-d0b5e4122711')).toBeUndefined();
    expect(emulator!.requests).toEqual([]);
  });
});
