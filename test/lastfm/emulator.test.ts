import { afterEach, describe, expect, it } from 'vitest';
import {
  SEEDED_LASTFM_USERS,
  lastfmSignature,
  startLastfmEmulator,
  type LastfmEmulator,
} from '../../emulators/lastfm/server.js';

let emulator: LastfmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The parts of Last.fm's JSON these tests read. */
interface TrackJson {
  '@attr'?: { nowplaying: string };
  artist: Record<string, unknown>;
  date?: { uts: string; '#text': string };
}
interface Answer {
  error?: number;
  message?: string;
  token?: string;
  session?: { name: string; key: string; subscriber: number };
  recenttracks?: { '@attr': Record<string, string>; track: TrackJson[] };
  user?: { name: string; playcount: string; registered: { unixtime: string; '#text': number } };
}

async function get(em: LastfmEmulator, params: Record<string, string>) {
  const url = new URL(em.apiUrl);
  for (const [k, v] of Object.entries({ api_key: em.apiKey, format: 'json', ...params })) url.searchParams.set(k, v);
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Answer };
}

// The shapes and statuses captured from the real service in docs/lastfm.md ([RT-docs], getInfo.md).
describe('Last.fm emulator answers as the real service does', () => {
  it('getRecentTracks: strings in @attr, newest first, now-playing first and on top of limit', async () => {
    emulator = await startLastfmEmulator();
    emulator.control.setNowPlaying('gwen', 0);
    const { status, body } = await get(emulator, {
      method: 'user.getrecenttracks',
      user: 'gwen',
      limit: '3',
      extended: '1',
    });
    expect(status).toBe(200);
    expect(body.recenttracks!['@attr']).toEqual({
      user: 'gwen',
      page: '1',
      perPage: '3',
      totalPages: '10000',
      total: '30000',
    });
    const tracks = body.recenttracks!.track;
    expect(tracks).toHaveLength(4);
    expect(tracks[0]!['@attr']).toEqual({ nowplaying: 'true' });
    expect(tracks[0]!.date).toBeUndefined();
    expect(Object.keys(tracks[1]!.artist).sort()).toEqual(['image', 'mbid', 'name', 'url']);
    expect(Number(tracks[1]!.date!.uts)).toBeGreaterThanOrEqual(Number(tracks[2]!.date!.uts));
    expect(tracks[1]!.date!['#text']).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    const plain = await get(emulator, { method: 'user.getrecenttracks', user: 'gwen', limit: '2', page: '2' });
    expect(Object.keys(plain.body.recenttracks!.track[0]!.artist).sort()).toEqual(['#text', 'mbid']);
  });

  it('caps limit at 200 and pages past the end to an empty list', async () => {
    emulator = await startLastfmEmulator();
    const big = await get(emulator, { method: 'user.getrecenttracks', user: 'hugo', limit: '1000' });
    expect(big.body.recenttracks!['@attr'].perPage).toBe('200');
    expect(big.body.recenttracks!.track).toHaveLength(200);
    const past = await get(emulator, { method: 'user.getrecenttracks', user: 'hugo', limit: '200', page: '99' });
    expect(past.body.recenttracks!.track).toEqual([]);
  });

  it('answers unknown users 404/6, private ones 403/17, storms 429/29, and refuses non-JSON', async () => {
    emulator = await startLastfmEmulator();
    expect(await get(emulator, { method: 'user.getrecenttracks', user: 'nobody' })).toEqual({
      status: 404,
      body: { error: 6, message: 'User not found' },
    });
    expect(await get(emulator, { method: 'user.getinfo', user: 'nobody' })).toMatchObject({ status: 404 });
    expect(await get(emulator, { method: 'user.getrecenttracks', user: 'iris' })).toEqual({
      status: 403,
      body: { error: 17, message: 'Login: User required to be logged in' },
    });
    emulator.control.rateLimitStorm = true;
    expect(await get(emulator, { method: 'user.getinfo', user: 'gwen' })).toMatchObject({
      status: 429,
      body: { error: 29 },
    });
    emulator.control.rateLimitStorm = false;
    expect(await get(emulator, { method: 'user.getinfo', user: 'gwen', format: 'xml' })).toMatchObject({
      body: { error: 5 },
    });
  });

  it('user.getInfo gives playcount and registration as Last.fm spells them', async () => {
    emulator = await startLastfmEmulator();
    const { body } = await get(emulator, { method: 'user.getinfo', user: 'Frankie' });
    expect(body.user!.name).toBe('frankie');
    expect(body.user!.playcount).toBe('120000');
    expect(typeof body.user!.registered.unixtime).toBe('string');
    expect(body.user!.registered['#text']).toBe(Number(body.user!.registered.unixtime));
  });

  it('desktop flow: auth.getToken, the member approves the token, auth.getSession', async () => {
    emulator = await startLastfmEmulator();
    const sign = (p: Record<string, string>) => ({
      ...p,
      api_sig: lastfmSignature({ ...p, api_key: emulator!.apiKey }, emulator!.sharedSecret),
    });
    const { body } = await get(emulator, sign({ method: 'auth.getToken' }));
    expect(body.token).toMatch(/^[0-9a-f]{32}$/);
    expect((await get(emulator, sign({ method: 'auth.getSession', token: body.token! }))).body.error).toBe(14);
    const approve = await fetch(`${emulator.authUrl}?api_key=${emulator.apiKey}&token=${body.token!}&as=june`);
    expect(approve.status).toBe(200);
    const session = await get(emulator, sign({ method: 'auth.getSession', token: body.token! }));
    expect(session.body.session).toMatchObject({ name: 'june', subscriber: 0 });
    expect(
      (await get(emulator, { method: 'auth.getSession', token: body.token!, api_sig: 'f'.repeat(32) })).body.error,
    ).toBe(13);
  });

  it('holds a million-scrobble history without storing it', async () => {
    const before = process.memoryUsage().heapUsed;
    emulator = await startLastfmEmulator({
      users: [
        ...SEEDED_LASTFM_USERS,
        { name: 'marathon', history: { count: 1_000_000, since: 1_000_000_000, until: 1_790_000_000 } },
      ],
    });
    const { body } = await get(emulator, {
      method: 'user.getrecenttracks',
      user: 'marathon',
      limit: '200',
      page: '4000',
    });
    expect(body.recenttracks!.track).toHaveLength(200);
    expect(body.recenttracks!['@attr'].total).toBe('1000000');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});
