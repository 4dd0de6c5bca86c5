import { afterEach, describe, expect, it } from 'vitest';
import { startLastfmEmulator, type LastfmEmulator, type LastfmEmulatorOptions } from '../../emulators/lastfm/server.js';
import { SourceError } from '../../src/app/sources/ports.js';
import { createLastfmClient, lastfmArtistGenres } from '../../src/lastfm/index.js';

let emulator: LastfmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BEDROOM_MBID = '0b0f3b3a-0000-4000-8000-0000000000bb';

async function setup(options: LastfmEmulatorOptions = {}) {
  let t = Date.UTC(2026, 11, 7, 12);
  emulator = await startLastfmEmulator({
    now: () => t,
    artistTags: [
      {
        name: 'Obscure Bedroom Act',
        mbid: BEDROOM_MBID,
        tags: [
          { name: 'seen live', count: 100 },
          { name: 'lo-fi', count: 64 },
          { name: 'bedroom pop', count: 40 },
          { name: 'female vocalists', count: 33 },
          { name: 'favorites', count: 20 },
          { name: 'Obscure Bedroom Act', count: 12 },
          { name: 'shoegaze', count: 3 },
        ],
      },
      { name: 'Only Noise', tags: [{ name: 'seen live', count: 100 }] },
    ],
    ...options,
  });
  const client = createLastfmClient({
    apiKey: emulator.apiKey,
    sharedSecret: emulator.sharedSecret,
    apiUrl: emulator.apiUrl,
    userAgent: 'Encore/0.0.0-test (+https://example.org/encore)',
    now: () => t,
    sleep: async (ms) => void (t += ms),
  });
  return { emulator, client };
}

describe('Last.fm artist.getTopTags', () => {
  it('reads an artist’s tags by name, autocorrected, heaviest first', async () => {
    const { emulator, client } = await setup();
    const tags = await client.artistTopTags({ name: 'obscure bedroom act', mbid: BEDROOM_MBID });
    expect(tags.slice(0, 3)).toEqual([
      { name: 'seen live', count: 100 },
      { name: 'lo-fi', count: 64 },
      { name: 'bedroom pop', count: 40 },
    ]);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]!.query).toMatchObject({
      method: 'artist.gettoptags',
      artist: 'obscure bedroom act',
      autocorrect: '1',
      format: 'json',
    });
    // A name says it: the MBID is not sent alongside (Last.fm's MBIDs can be stale).
    expect(emulator.requests[0]!.query.mbid).toBeUndefined();
  });

  it('falls back on the MBID only when there is no name', async () => {
    const { emulator, client } = await setup();
    expect((await client.artistTopTags({ mbid: BEDROOM_MBID })).length).toBe(7);
    expect(emulator.requests[0]!.query).toMatchObject({ mbid: BEDROOM_MBID });
    expect(await client.artistTopTags({})).toEqual([]);
    expect(emulator.requests).toHaveLength(1);
  });

  it('answers no tags for an artist Last.fm does not know (error 6 with HTTP 200)', async () => {
    const { emulator, client } = await setup();
    expect(await client.artistTopTags({ name: 'Nobody At All' })).toEqual([]);
    expect(emulator.requests[0]!.status).toBe(200);
  });

  it('reports rate limiting and outages as the listening source does, not as "no tags"', async () => {
    const { emulator, client } = await setup();
    emulator.control.rateLimitStorm = true;
    await expect(client.artistTopTags({ name: 'Obscure Bedroom Act' })).rejects.toMatchObject({
      failure: 'rate-limited',
    });
    emulator.control.rateLimitStorm = false;
    emulator.control.failNext({ code: 11 });
    const outage = await client.artistTopTags({ name: 'Obscure Bedroom Act' }).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(SourceError);
    expect((outage as SourceError).failure).toBe('temporary');
  });
});

describe('Last.fm tags into genres (the allow-list)', () => {
  it('keeps only tags that map onto the family tree, dropping the folksonomy’s noise', async () => {
    const { client } = await setup();
    expect(await lastfmArtistGenres(client, { name: 'Obscure Bedroom Act' })).toEqual(['lo-fi', 'bedroom pop']);
  });

  it('gives nothing for an artist whose tags are all noise, or whom Last.fm does not know', async () => {
    const { client } = await setup();
    expect(await lastfmArtistGenres(client, { name: 'Only Noise' })).toBeUndefined();
    expect(await lastfmArtistGenres(client, { name: 'Nobody At All' })).toBeUndefined();
  });

  it('classifies the seeded catalogue’s artists by their genres, never by the noise around them', async () => {
    const { emulator, client } = await setup();
    const artist = emulator.catalogue.find((t) => (t.artist.genres?.length ?? 0) >= 2)!.artist;
    const genres = await lastfmArtistGenres(client, { name: artist.name });
    expect(genres).toEqual(expect.arrayContaining([artist.genres![0]!]));
    expect(genres).not.toContain('seen live');
    expect(genres).not.toContain('female vocalists');
    expect(genres).not.toContain('00s');
  });
});
