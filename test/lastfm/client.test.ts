import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, type SourceListen } from '../../src/app/sources/ports.js';
import { createLastfmClient, LastfmAuthError, type LastfmClientOptions } from '../../src/lastfm/index.js';
import { startLastfmEmulator, type LastfmEmulator, type LastfmEmulatorOptions } from '../../emulators/lastfm/server.js';

let emulator: LastfmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** One clock for the emulator and the client; the client's sleeps move it, so nothing really waits. */
function fakeTime(start = Date.UTC(2026, 11, 7, 12)) {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    slept,
  };
}

async function setup(options: LastfmEmulatorOptions = {}, overrides: Partial<LastfmClientOptions> = {}) {
  const time = fakeTime();
  emulator = await startLastfmEmulator({ now: time.now, ...options });
  const client = createLastfmClient({
    apiKey: emulator.apiKey,
    sharedSecret: emulator.sharedSecret,
    apiUrl: emulator.apiUrl,
    authUrl: emulator.authUrl,
    userAgent: 'Encore/0.0.0-test (+https://example.org/encore)',
    now: time.now,
    sleep: time.sleep,
    ...overrides,
  });
  return { emulator, client, time };
}

const key = (l: SourceListen) => `${l.listenedAt}|${l.artists[0]!.name}|${l.track.name}`;

/** The emulator's ground truth, newest first, in the client's terms. */
function truth(em: LastfmEmulator, user: string): string[] {
  const all = [...em.history(user).all()].map((s) => `${s.uts * 1000}|${s.track.artist.name}|${s.track.name}`);
  return all.reverse();
}

async function collectAll(client: ReturnType<typeof createLastfmClient>, user: string, limit: number) {
  const got: SourceListen[] = [];
  let before: number | undefined;
  let requests = 0;
  for (;;) {
    const page = await client.listens(user, before === undefined ? {} : { before }, limit);
    requests++;
    got.push(...page.listens);
    if (page.next === undefined) return { got, requests };
    expect(page.next).toBeLessThan(before ?? Infinity);
    before = page.next;
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Last.fm adapter against the emulator', () => {
  it('pages a six-year, 120,000-scrobble history collecting every scrobble exactly once', async () => {
    const { emulator, client } = await setup();
    const { got, requests } = await collectAll(client, 'frankie', 200);
    expect(got.map(key)).toEqual(truth(emulator, 'frankie'));
    expect(requests).toBeGreaterThanOrEqual(600);
    expect(requests).toBeLessThan(620);
    const years = (got[0]!.listenedAt - got.at(-1)!.listenedAt) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(5.9);
  }, 120_000);

  it('pages exactly once whether Last.fm reads from/to as inclusive or exclusive', async () => {
    const { emulator, client } = await setup({ inclusiveRange: false });
    const { got } = await collectAll(client, 'gwen', 200);
    expect(got.map(key)).toEqual(truth(emulator, 'gwen'));
  }, 60_000);

  for (const inclusiveRange of [true, false])
    for (const limit of [5, 10, 200])
      it(`never splits or repeats scrobbles sharing one second (limit ${limit}, inclusive ${inclusiveRange})`, async () => {
        // hugo's scrobbles come seven to a second: limit 5 forces whole-second reads, 10 page trimming.
        const { emulator, client } = await setup({ inclusiveRange });
        const { got } = await collectAll(client, 'hugo', limit);
        expect(got.map(key)).toEqual(truth(emulator, 'hugo'));
        expect(new Set(got.map((l) => l.listenedAt)).size).toBe(Math.ceil(950 / 7));
      });

  it('honours after and before as strict bounds', async () => {
    const { emulator, client } = await setup();
    const h = emulator.history('gwen');
    const before = h.at(20_000).uts * 1000;
    const after = h.at(19_000).uts * 1000;
    const page = await client.listens('gwen', { after, before }, 200);
    const expected = truth(emulator, 'gwen').filter((k) => {
      const ms = Number(k.split('|')[0]);
      return ms > after && ms < before;
    });
    const all: SourceListen[] = [...page.listens];
    let next = page.next;
    while (next !== undefined) {
      const more = await client.listens('gwen', { after, before: next }, 200);
      all.push(...more.listens);
      next = more.next;
    }
    expect(all.map(key)).toEqual(expected);
  });

  it('reports the total Last.fm gives and carries MBIDs and covers when Last.fm has them', async () => {
    const { client } = await setup();
    const page = await client.listens('frankie', {}, 200);
    expect(page.total).toBe(120_000);
    // At the 200 cap a page ends before its last second, which the next page then reads whole.
    expect(page.listens).toHaveLength(199);
    expect(page.listens.some((l) => l.artists[0]!.mbid)).toBe(true);
    expect(page.listens.some((l) => !l.artists[0]!.mbid)).toBe(true);
    expect(page.listens.some((l) => l.track.mbid)).toBe(true);
    expect(page.listens.some((l) => l.imageUrl?.includes('/300x300/'))).toBe(true);
    for (const l of page.listens) {
      expect(l.artists[0]!.mbid ?? 'x').not.toBe('');
      expect(l.album?.name).toBeTruthy();
    }
  });

  it('leaves the now-playing track out of listens and returns it from nowPlaying', async () => {
    const { emulator, client, time } = await setup();
    emulator.control.setNowPlaying('gwen', 3);
    const page = await client.listens('gwen', {}, 50);
    expect(page.listens.map(key)).toEqual(truth(emulator, 'gwen').slice(0, 50));
    const playing = await client.nowPlaying('gwen');
    expect(playing?.track.name).toBe(emulator.catalogue[3]!.name);
    expect(playing?.artists[0]!.name).toBe(emulator.catalogue[3]!.artist.name);
    expect(playing?.listenedAt).toBe(time.now());
    emulator.control.setNowPlaying('gwen', undefined);
    expect(await client.nowPlaying('gwen')).toBeUndefined();
  });

  it('reads a lone track sent as an object rather than an array', async () => {
    const { emulator, client } = await setup();
    const raw = await fetch(
      `${emulator.apiUrl}?method=user.getrecenttracks&user=june&api_key=${emulator.apiKey}&format=json`,
    );
    const body = (await raw.json()) as { recenttracks: { track: unknown } };
    expect(Array.isArray(body.recenttracks.track)).toBe(false);
    const page = await client.listens('june', {}, 50);
    expect(page.listens.map(key)).toEqual(truth(emulator, 'june'));
    expect(page.next).toBeUndefined();
    // A lone now-playing track (limit 1, nothing older in range) is also an object.
    emulator.control.setNowPlaying('june', 7);
    const none = await client.listens('june', { before: 1000 }, 1);
    expect(none.listens).toEqual([]);
    expect((await client.nowPlaying('june'))?.track.name).toBe(emulator.catalogue[7]!.name);
  });

  it('maps an unknown user to not-found and a private one to private', async () => {
    const { client } = await setup();
    expect(await caught(client.listens('nobody-here', {}, 50))).toMatchObject({ failure: 'not-found' });
    const err = await caught(client.listens('iris', {}, 50));
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({ source: 'lastfm', failure: 'private' });
  });

  it('maps a wrong or suspended API key to misconfigured, never echoing the key', async () => {
    const { emulator } = await setup({ suspendedKeys: ['5'.repeat(32)] });
    for (const apiKey of ['0'.repeat(32), '5'.repeat(32)]) {
      const client = createLastfmClient({
        apiKey,
        sharedSecret: emulator.sharedSecret,
        apiUrl: emulator.apiUrl,
        userAgent: 'Encore/test',
        sleep: async () => {},
      });
      const err = (await caught(client.listens('gwen', {}, 5))) as SourceError;
      expect(err).toMatchObject({ failure: 'misconfigured' });
      expect(err.message).not.toContain(apiKey);
    }
  });

  it('turns a 29 storm into rate-limited with a retryAt, and holds the next request until then', async () => {
    const { emulator, client, time } = await setup();
    emulator.control.rateLimitStorm = true;
    const err = (await caught(client.listens('gwen', {}, 50))) as SourceError;
    expect(err).toBeInstanceOf(SourceError);
    expect(err.failure).toBe('rate-limited');
    expect(err.retryAt).toBe(time.now() + 60_000);
    expect(await caught(client.nowPlaying('gwen'))).toMatchObject({ failure: 'rate-limited' });
    emulator.control.rateLimitStorm = false;
    const retryAt = time.now() + 60_000;
    await client.listens('gwen', {}, 5);
    expect(time.now()).toBeGreaterThanOrEqual(retryAt - 250);
    expect(emulator.requests.at(-1)!.status).toBe(200);
  });

  it('maps operation failed, service offline, temporary error and a bare 5xx to temporary', async () => {
    const { emulator, client } = await setup();
    for (const failure of [{ code: 8 }, { code: 11 }, { code: 16 }, { httpStatus: 502 }] as const) {
      emulator.control.failNext(failure);
      expect(await caught(client.listens('gwen', {}, 5))).toMatchObject({ failure: 'temporary' });
    }
    expect((await client.listens('gwen', {}, 5)).listens).toHaveLength(5);
  });

  it('paces requests at most four a second, so a 5-per-second limit is never hit', async () => {
    const { emulator, client } = await setup({ rateLimit: { requests: 5, windowMs: 1000 } });
    let before: number | undefined;
    for (let i = 0; i < 30; i++) before = (await client.listens('gwen', before ? { before } : {}, 200)).next;
    const at = emulator.requests.map((r) => r.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(250);
    expect(emulator.requests.every((r) => r.status === 200)).toBe(true);
    expect(emulator.requests.every((r) => r.userAgent === 'Encore/0.0.0-test (+https://example.org/encore)')).toBe(
      true,
    );
  });

  it('an unpaced client would be refused by that limit (the pacing test can fail)', async () => {
    const { client } = await setup({ rateLimit: { requests: 5, windowMs: 1000 } }, { minIntervalMs: 0 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.listens('gwen', {}, 5)));
    expect(results.some((r) => r.status === 'rejected' && (r.reason as SourceError).failure === 'rate-limited')).toBe(
      true,
    );
  });
});

describe('Last.fm web authentication against the emulator', () => {
  async function approveAs(em: LastfmEmulator, url: string, user: string): Promise<URL> {
    em.control.loggedInAs = user;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  it('authUrl → member approves → token at the callback → getSession names that member', async () => {
    const { emulator, client } = await setup();
    const url = client.authUrl('http://127.0.0.1:9/lastfm/callback?state=abc');
    expect(new URL(url).searchParams.get('api_key')).toBe(emulator.apiKey);
    const callback = await approveAs(emulator, url, 'gwen');
    expect(callback.pathname).toBe('/lastfm/callback');
    expect(callback.searchParams.get('state')).toBe('abc');
    const token = callback.searchParams.get('token')!;
    const session = await client.getSession(token);
    expect(session.userName).toBe('gwen');
    expect(emulator.sessionsOf('gwen')).toEqual([session.sessionKey]);
    // Signed with the shared secret, which itself never travels.
    const call = emulator.requests.find((r) => r.query.method === 'auth.getSession')!;
    expect(call.query.api_sig).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(emulator.requests)).not.toContain(emulator.sharedSecret);
  });

  it('refuses a replayed token', async () => {
    const { emulator, client } = await setup();
    const token = (await approveAs(emulator, client.authUrl('http://127.0.0.1:9/cb'), 'frankie')).searchParams.get(
      'token',
    )!;
    await client.getSession(token);
    const err = await caught(client.getSession(token));
    expect(err).toBeInstanceOf(LastfmAuthError);
    expect(err).toMatchObject({ reason: 'invalid-token' });
    expect(emulator.sessionsOf('frankie')).toHaveLength(1);
  });

  it('refuses a token no member approved, and a made-up one', async () => {
    const { emulator, client } = await setup();
    expect(await caught(client.getSession(emulator.unapprovedToken()))).toMatchObject({ reason: 'not-approved' });
    expect(await caught(client.getSession('f'.repeat(32)))).toMatchObject({ reason: 'invalid-token' });
  });

  it('refuses a token older than 60 minutes', async () => {
    const { emulator, client, time } = await setup();
    const token = (await approveAs(emulator, client.authUrl('http://127.0.0.1:9/cb'), 'gwen')).searchParams.get(
      'token',
    )!;
    time.advance(61 * 60_000);
    expect(await caught(client.getSession(token))).toMatchObject({ reason: 'expired' });
    expect(emulator.sessionsOf('gwen')).toEqual([]);
  });

  it('a call signed with the wrong secret fails as misconfigured and grants nothing', async () => {
    const { emulator } = await setup();
    const wrong = createLastfmClient({
      apiKey: emulator.apiKey,
      sharedSecret: 'not-the-secret',
      apiUrl: emulator.apiUrl,
      authUrl: emulator.authUrl,
      userAgent: 'Encore/test',
      sleep: async () => {},
    });
    const token = (await approveAs(emulator, wrong.authUrl('http://127.0.0.1:9/cb'), 'gwen')).searchParams.get(
      'token',
    )!;
    expect(await caught(wrong.getSession(token))).toMatchObject({ failure: 'misconfigured' });
    expect(emulator.requests.at(-1)!.status).toBe(403);
    expect(emulator.sessionsOf('gwen')).toEqual([]);
  });

  it('without a logged-in member the auth page offers who to log in as', async () => {
    const { emulator, client } = await setup();
    const page = await fetch(client.authUrl('http://127.0.0.1:9/cb'), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Log in as gwen');
    const link = /href="([^"]*as=hugo[^"]*)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const approved = await fetch(new URL(link, emulator.authUrl), { redirect: 'manual' });
    const token = new URL(approved.headers.get('location')!).searchParams.get('token')!;
    expect((await client.getSession(token)).userName).toBe('hugo');
  });
});
