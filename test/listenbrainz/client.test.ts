import { afterEach, describe, expect, it } from 'vitest';
import { SourceError, type ListenRange, type SourceListen } from '../../src/app/sources/ports.js';
import {
  createListenBrainzClient,
  InvalidListenBrainzToken,
  toSourceListen,
  type ListenBrainzClientOptions,
} from '../../src/listenbrainz/index.js';
import {
  startListenBrainzEmulator,
  type EmulatedListen,
  type ListenBrainzEmulator,
  type ListenBrainzEmulatorOptions,
} from '../../emulators/listenbrainz/index.js';

let emulator: ListenBrainzEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const START = Date.UTC(2026, 10, 1, 12, 0, 3);
/** One clock for the emulator and the client; the client's sleep moves it, so nothing really waits. */
let clock = START;
let slept: number[] = [];

async function start(options: ListenBrainzEmulatorOptions = {}) {
  clock = START;
  slept = [];
  emulator = await startListenBrainzEmulator({
    now: () => clock,
    users: [
      { name: 'mia', years: 2, perDay: 14, seed: 7 },
      { name: 'ana', years: 1, perDay: 12, seed: 2 },
      { name: 'rob', years: 1, perDay: 8, seed: 1 },
      { name: 'quiet', years: 0, seed: 3 },
    ],
    rateLimit: { perIp: 1000 },
    ...options,
  });
  return emulator;
}

function client(overrides: Partial<ListenBrainzClientOptions> = {}) {
  return createListenBrainzClient({
    baseUrl: overrides.baseUrl ?? emulator!.url,
    version: '1.2.3',
    contact: 'https://encore.example.com',
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    ...overrides,
  });
}

// A listen as instant and track name; compared as multisets (sorted arrays), so a listen seen twice
// or missed shows even where two catalogue tracks share a name.
const key = (at: number, track: string) => `${at}|${track}`;
const truthKeys = (listens: readonly EmulatedListen[]) => listens.map((l) => key(l.listenedAt * 1000, l.track.name));
const seenKeys = (listens: readonly SourceListen[]) => listens.map((l) => key(l.listenedAt, l.track.name));
const sorted = (xs: string[]) => [...xs].sort();

/** Reads a range to its end by following `next`, as the backfill will. */
async function readAll(c: ReturnType<typeof client>, user: string, range: ListenRange, limit: number) {
  const listens: SourceListen[] = [];
  const pages: number[] = [];
  let trimmedPages = 0;
  for (let before = range.before; ;) {
    const page = await c.listens(user, { ...range, before }, limit);
    listens.push(...page.listens);
    pages.push(page.listens.length);
    if (page.next !== undefined && page.listens.length < limit) trimmedPages++;
    if (page.next === undefined) break;
    expect(page.next).toBeLessThan(before ?? Infinity);
    before = page.next;
  }
  return { listens, pages, trimmedPages };
}

describe('the ListenBrainz listening source', () => {
  it('pages a two-year history end to end: every listen exactly once, newest first', async () => {
    const e = await start();
    const truth = e.user('mia').history.all();
    expect(truth.length).toBeGreaterThan(9000);
    const { listens, pages } = await readAll(client(), 'mia', {}, 1000);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(truth.length / 1000));
    expect(sorted(seenKeys(listens))).toEqual(sorted(truthKeys(truth)));
    const times = listens.map((l) => l.listenedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps listens that share a second together when a page ends on them: none lost, none repeated', async () => {
    const e = await start();
    const truth = e.user('ana').history.all();
    // Small pages end on a shared second often enough to matter (one listen in twenty shares one).
    const { listens, trimmedPages } = await readAll(client(), 'ana', {}, 23);
    expect(trimmedPages).toBeGreaterThan(0);
    expect(sorted(seenKeys(listens))).toEqual(sorted(truthKeys(truth)));
  });

  it('gives the listen count with the first page of a backfill', async () => {
    const e = await start();
    const page = await client().listens('mia', {}, 100);
    expect(page.total).toBe(e.user('mia').history.count());
  });

  it('treats after and before as exclusive instants', async () => {
    const e = await start();
    const truth = e.user('mia').history.all();
    const t = truth[300]!.listenedAt * 1000;
    const c = client();
    const before = await c.listens('mia', { before: t }, 5);
    expect(before.listens.every((l) => l.listenedAt < t)).toBe(true);
    expect((await c.listens('mia', { before: t + 1 }, 5)).listens[0]!.listenedAt).toBe(t);
    const after = await c.listens('mia', { after: t, before: t + 3_600_000 }, 1000);
    expect(after.listens.every((l) => l.listenedAt > t)).toBe(true);
    expect((await c.listens('mia', { after: t - 1, before: t + 1 }, 10)).listens.map((l) => l.listenedAt)).toEqual(
      truth.filter((l) => l.listenedAt * 1000 === t).map(() => t),
    );
  });

  it('reads a window of the history exactly, whether it fits in one page or not', async () => {
    const e = await start();
    const truth = e.user('mia').history.all();
    const range = { after: truth[2000]!.listenedAt * 1000 + 400, before: truth[200]!.listenedAt * 1000 + 700 };
    const inRange = truth.filter((l) => l.listenedAt * 1000 > range.after && l.listenedAt * 1000 < range.before);
    for (const limit of [1000, 97]) {
      const { listens } = await readAll(client(), 'mia', range, limit);
      expect(sorted(seenKeys(listens))).toEqual(sorted(truthKeys(inRange)));
    }
  });

  it('polls for what is new since the last listen seen in one request', async () => {
    const e = await start();
    const lastSeen = e.user('rob').history.all()[0]!.listenedAt * 1000;
    clock += 3_600_000;
    e.user('rob').addListen(clock - 600_000, 10);
    e.user('rob').addListen(clock - 300_000, 11);
    const sent = e.requests.length;
    const page = await client().listens('rob', { after: lastSeen }, 50);
    expect(page.listens.map((l) => [l.listenedAt, l.track.name])).toEqual([
      [Math.floor((clock - 300_000) / 1000) * 1000, e.catalogue[11]!.name],
      [Math.floor((clock - 600_000) / 1000) * 1000, e.catalogue[10]!.name],
    ]);
    expect(page.next).toBeUndefined();
    expect(e.requests.length - sent).toBe(1);
  });

  it('carries the ids each kind of submission has: Spotify id, ISRC and duration; MBIDs; names only', async () => {
    const e = await start();
    const c = client();
    const truth = new Map(
      e
        .user('ana')
        .history.all()
        .map((l) => [key(l.listenedAt * 1000, l.track.name), l.track]),
    );
    const { listens } = await readAll(c, 'ana', { before: clockAtDaysAgo(40) }, 1000).then((r) => ({
      listens: r.listens.slice(0, 3000),
    }));
    const seen = new Set<string>();
    for (const l of listens) {
      const track = truth.get(key(l.listenedAt, l.track.name))!;
      seen.add(`${track.style}:${track.mapped}`);
      if (track.style === 'spotify') {
        expect(l.track).toMatchObject({ spotifyId: track.spotifyId, durationMs: track.durationMs });
        // The Spotify emulator's ISRCs are 11 characters, one short of a real ISRC: the client drops
        // what is not a well-formed ISRC (a real one is read in the test below).
        expect(l.track.isrc).toBe(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(track.isrc!) ? track.isrc : undefined);
        expect(l.artists.map((a) => a.name)).toEqual(track.artists.map((a) => a.name));
      }
      if (track.mapped) {
        expect(l.track.mbid).toBe(track.recordingMbid);
        expect(l.artists).toEqual(track.artists.map((a) => ({ name: a.name, mbid: a.mbid })));
        expect(l.album).toEqual({ name: track.album.name, mbid: track.album.mbid });
      } else {
        expect(l.track.mbid).toBeUndefined();
        expect(l.artists).toEqual([{ name: track.artists.map((a) => a.name).join(' feat. ') }]);
        expect(l.track.spotifyId).toBeUndefined();
      }
      if (track.caaId && track.mapped)
        expect(l.imageUrl).toContain(`/release/${track.album.mbid}/${track.caaId}-250.jpg`);
    }
    expect(seen).toEqual(new Set(['spotify:true', 'mbid:true', 'names:true', 'names:false']));
  });

  it('reads a real ISRC and a duration in seconds, and ignores an id that is not an MBID', () => {
    const listen = toSourceListen({
      listened_at: 1_700_000_000,
      track_metadata: {
        artist_name: 'Röyksopp',
        track_name: 'Some Resolve',
        additional_info: {
          isrc: 'gbaye9700111',
          duration: 402,
          recording_mbid: 'not-an-mbid',
          artist_mbids: ['1C70A3FC-FA3C-4BE1-8B55-C3192DB8A884'],
          spotify_id: 'http://open.spotify.com/track/1rrgWMXGCGHru5bIRxGFV0',
        },
      },
    });
    expect(listen).toEqual({
      listenedAt: 1_700_000_000_000,
      track: { name: 'Some Resolve', isrc: 'GBAYE9700111', durationMs: 402_000, spotifyId: '1rrgWMXGCGHru5bIRxGFV0' },
      artists: [{ name: 'Röyksopp', mbid: '1c70a3fc-fa3c-4be1-8b55-c3192db8a884' }],
    });
  });

  it('tells what a user is playing now, dated when it was asked', async () => {
    const e = await start();
    const c = client();
    expect(await c.nowPlaying('ana')).toBeUndefined();
    e.user('ana').setPlayingNow(0);
    expect(await c.nowPlaying('ana')).toMatchObject({
      listenedAt: clock,
      track: { name: e.catalogue[0]!.name, spotifyId: e.catalogue[0]!.spotifyId },
    });
  });

  it('says not-found for a user ListenBrainz does not know', async () => {
    await start();
    const c = client();
    for (const call of [() => c.listens('nobody', {}, 10), () => c.nowPlaying('nobody'), () => c.listenCount('nobody')])
      await expect(call()).rejects.toMatchObject({ name: 'SourceError', failure: 'not-found', source: 'listenbrainz' });
  });

  it('answers an empty page, with nothing to page to, for an account with no listens', async () => {
    await start();
    expect(await client().listens('quiet', {}, 100)).toEqual({ listens: [], total: 0 });
  });

  it('validates a user token: its owner, never the name the member typed', async () => {
    const e = await start();
    const c = client();
    expect(await c.validateToken(e.user('ana').token)).toEqual({ userName: 'ana' });
    // Someone claiming to be ana with rob's token learns it is rob's: the caller compares names.
    expect(await c.validateToken(e.user('rob').token)).toEqual({ userName: 'rob' });
    const invalid = await c.validateToken('5e2d1a3c-0000-4000-8000-000000000000').catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(InvalidListenBrainzToken);
    expect(invalid).toBeInstanceOf(SourceError);
    expect(invalid).toMatchObject({ failure: 'not-found' });
    await expect(c.validateToken('  ')).rejects.toBeInstanceOf(InvalidListenBrainzToken);
    const checks = e.requests.filter((r) => r.path === '/1/validate-token');
    expect(checks).toHaveLength(3);
    // The token travels in the Authorization header only, never in the URL.
    expect(checks.every((r) => r.authorized && Object.keys(r.query).length === 0)).toBe(true);
  });

  it('identifies itself with an Encore User-Agent and a contact', async () => {
    const e = await start();
    await client().listenCount('ana');
    expect(e.requests[0]!.userAgent).toBe('Encore/1.2.3 ( https://encore.example.com )');
  });

  it('never sends while X-RateLimit-Remaining is 0 and Reset-In has not passed', async () => {
    const e = await start({ rateLimit: { perIp: 4, windowSec: 10 } });
    const c = client();
    for (let i = 0; i < 13; i++) await c.listenCount('ana');
    expect(e.requests.map((r) => r.status).every((s) => s === 200)).toBe(true);
    for (const [i, r] of e.requests.entries()) {
      if (r.remaining !== 0 || i === e.requests.length - 1) continue;
      const windowEnds = (Math.floor(r.at / 10_000) + 1) * 10_000;
      expect(e.requests[i + 1]!.at).toBeGreaterThanOrEqual(windowEnds);
    }
    expect(slept.length).toBe(3);
  });

  it('gives up on a 429 storm with rate-limited and when to come back', async () => {
    const e = await start();
    e.control.storm = true;
    const error = await client()
      .listens('ana', {}, 10)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ failure: 'rate-limited' });
    expect((error as SourceError).retryAt).toBeGreaterThan(clock);
    const sent = e.requests.filter((r) => r.status === 429);
    expect(sent).toHaveLength(3);
    // It waited for each window to pass before trying again.
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('does not wait itself when the window ends later than it may wait', async () => {
    const e = await start({ rateLimit: { perIp: 1, windowSec: 60 } });
    const c = client({ maxWaitMs: 5_000 });
    await c.listenCount('ana');
    await expect(c.listenCount('ana')).rejects.toMatchObject({
      failure: 'rate-limited',
      retryAt: Date.UTC(2026, 10, 1, 12, 1),
    });
    expect(e.requests).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('says temporary for a 5xx or when ListenBrainz cannot be reached', async () => {
    const e = await start();
    e.control.failNext(503);
    await expect(client().listens('ana', {}, 10)).rejects.toMatchObject({ failure: 'temporary' });
    e.control.failNext(500);
    await expect(client().validateToken(e.user('ana').token)).rejects.toMatchObject({ failure: 'temporary' });
    const url = e.url;
    await e.close();
    emulator = undefined;
    await expect(client({ baseUrl: url }).nowPlaying('ana')).rejects.toMatchObject({ failure: 'temporary' });
  });
});

function clockAtDaysAgo(days: number) {
  return clock - days * 86_400_000;
}
