import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';

let emulator: SpotifyEmulator;
let alice: string;
beforeAll(async () => {
  emulator = await startSpotifyEmulator();
  alice = emulator.issueTokens('alice').accessToken;
});
afterAll(() => emulator?.close());

const call = async (method: string, path: string, token = alice, body?: unknown) => {
  const res = await fetch(`${emulator.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};

describe('the Spotify emulator follows development-mode rules', () => {
  it.each([
    ['GET', '/recommendations?seed_genres=rock'],
    ['GET', '/audio-features/abc'],
    ['GET', '/artists/abc/related-artists'],
    ['GET', '/artists/abc/top-tracks'],
    ['GET', '/artists?ids=a,b'],
    ['GET', '/browse/new-releases'],
    ['GET', '/playlists/roadtrip1000/tracks'],
    ['POST', '/users/alice/playlists'],
    ['GET', '/users/bob'],
    ['PUT', '/me/tracks?ids=a'],
  ])('%s %s answers 403', async (method, path) => {
    expect((await call(method, path)).status).toBe(403);
  });

  it('caps page sizes: playlist items 50, search 10', async () => {
    expect((await call('GET', '/playlists/roadtrip1000/items?limit=51')).status).toBe(400);
    expect((await call('GET', '/playlists/roadtrip1000/items?limit=50')).status).toBe(200);
    expect((await call('GET', '/search?q=love&type=track&limit=11')).status).toBe(400);
    expect((await call('GET', '/search?q=love&type=track&limit=10&offset=1001')).status).toBe(400);
  });

  it('answers 403 "User not registered in the Developer Dashboard" for a user off the allowlist', async () => {
    const res = await call('GET', '/me', emulator.issueTokens('mallory').accessToken);
    expect(res).toEqual({
      status: 403,
      body: { error: { status: 403, message: 'User not registered in the Developer Dashboard' } },
    });
  });

  it('lets a member read items only of playlists they own or collaborate on', async () => {
    expect((await call('GET', '/playlists/bobsecret/items')).status).toBe(403);
    expect((await call('GET', '/playlists/friendsmix/items')).status).toBe(200);
    expect((await call('GET', '/playlists/spotifyowned')).status).toBe(404);
  });

  it('makes POST /me/playlists public unless told otherwise, and changes the snapshot on every write', async () => {
    const open = await call('POST', '/me/playlists', alice, { name: 'Public by default' });
    expect(open.body).toMatchObject({ public: true });
    const created = await call('POST', '/me/playlists', alice, { name: 'Private', public: false });
    const id = created.body!.id as string;
    const uris = emulator.world.trackList.slice(0, 3).map((t) => `spotify:track:${t.id}`);
    const added = await call('POST', `/playlists/${id}/items`, alice, { uris });
    expect(added.status).toBe(201);
    const reordered = await call('PUT', `/playlists/${id}/items`, alice, {
      range_start: 0,
      insert_before: 3,
      range_length: 1,
    });
    expect(reordered.body!.snapshot_id).not.toBe(added.body!.snapshot_id);
    const items = await call('GET', `/playlists/${id}/items?limit=50`);
    expect((items.body!.items as Array<{ item: { uri: string } }>).map((i) => i.item.uri)).toEqual([
      uris[1],
      uris[2],
      uris[0],
    ]);
  });

  it('answers QUOTA_EXCEEDED with a long Retry-After once the daily quota is spent', async () => {
    const quota = await startSpotifyEmulator({ quota: 1 });
    const token = quota.issueTokens('bob').accessToken;
    expect((await fetch(`${quota.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const spent = await fetch(`${quota.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(spent.status).toBe(429);
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThan(3600);
    expect(await spent.json()).toEqual({
      error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' },
    });
    await quota.close();
  });
});
