import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  BudgetExhaustedError,
  NotAllowlistedError,
  QuotaExceededError,
  RateLimitedError,
  RelinkNeededError,
  SpotifyForbiddenError,
  SpotifyUnavailableError,
} from '../../src/core/errors.js';
import { createPkce, createSpotifyGateway, toPlaylistEntry } from '../../src/spotify/index.js';
import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import { createTestDatabase, useTestStore } from '../support/database.js';
import { openStore } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';
import { waitUntil } from '../support/waitUntil.js';
import { apiRequests, gatewayWorld, memoryTokens, recordingClock } from './setup.js';

const testStore = useTestStore();
const emulators: SpotifyEmulator[] = [];
afterEach(async () => {
  while (emulators.length) await emulators.pop()!.close();
  await testStore().pool.query(`DELETE FROM keyv WHERE key LIKE 'spotify-breaker:%' OR key LIKE 'spotify-budget:%'`);
});
/**
 * The emulator and a gateway on it. Unless a test brings its own clock, the gateway's pacer and
 * backoff run on a recording clock, so pacing between requests costs no real time.
 */
const world = async (
  ...[emulatorOptions, gatewayOptions = {}]: Parameters<typeof gatewayWorld> extends [unknown, ...infer R] ? R : never
) => {
  const w = await gatewayWorld(testStore(), emulatorOptions, {
    ...(gatewayOptions.now ? {} : recordingClock().gateway),
    ...gatewayOptions,
  });
  emulators.push(w.emulator);
  return w;
};

describe('OAuth', () => {
  it('links through consent with PKCE and reads the profile', async () => {
    const { emulator, gateway } = await world();
    const pkce = createPkce();
    const redirectUri = 'http://127.0.0.1:3000/callback';
    const url = gateway.oauth.authorizationUrl({ state: 'st8', codeChallenge: pkce.challenge, redirectUri });
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    const callback = new URL(await emulator.consent({ authorizeUrl: url, userId: 'alice' }));
    expect(callback.searchParams.get('state')).toBe('st8');
    const tokens = await gateway.oauth.exchangeCode({
      code: callback.searchParams.get('code')!,
      codeVerifier: pkce.verifier,
      redirectUri,
    });
    const me = await gateway.forUser(memoryTokens(tokens)).me();
    expect(me).toMatchObject({ id: 'alice', display_name: 'Alice Liddell' });
  });

  it('refuses a code exchanged with the wrong verifier as a relink', async () => {
    const { emulator, gateway } = await world();
    const redirectUri = 'http://127.0.0.1:3000/callback';
    const url = gateway.oauth.authorizationUrl({ state: 's', codeChallenge: createPkce().challenge, redirectUri });
    const code = new URL(await emulator.consent({ authorizeUrl: url, userId: 'bob' })).searchParams.get('code')!;
    await expect(
      gateway.oauth.exchangeCode({ code, codeVerifier: createPkce().verifier, redirectUri }),
    ).rejects.toBeInstanceOf(RelinkNeededError);
  });
});

describe('token refresh', () => {
  it('refreshes ahead of expiry once for many concurrent requests, keeping the old refresh token when none comes back', async () => {
    const { emulator, gateway, tokensFor } = await world();
    emulator.control.omitRefreshToken = 'always';
    const tokens = tokensFor('alice');
    const original = tokens.current.refreshToken;
    tokens.current = { ...tokens.current, expiresAt: Date.now() + 10_000 };
    const client = gateway.forUser(tokens);
    await Promise.all([
      client.me(),
      client.topArtists('short_term'),
      client.topTracks('short_term'),
      client.playlist('roadtrip1000'),
    ]);
    expect(tokens.saves).toBe(1);
    expect(tokens.current.refreshToken).toBe(original);
    expect(tokens.current.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('loads the member’s tokens once for a burst of calls, not once per call (the database is not asked 100 times)', async () => {
    const { gateway, tokensFor } = await world();
    const tokens = tokensFor('alice');
    let loads = 0;
    const counted = { ...tokens, load: () => (loads++, tokens.load()) };
    const client = gateway.forUser(counted);
    const artists = await client.topArtists('short_term');
    await Promise.all(Array.from({ length: 100 }, (_, i) => client.artist(artists[i % artists.length]!.id)));
    expect(loads).toBe(1);
  });

  it('replaces the refresh token when Spotify sends a new one', async () => {
    const { emulator, gateway, tokensFor } = await world();
    emulator.control.omitRefreshToken = 'never';
    const tokens = tokensFor('alice');
    const original = tokens.current.refreshToken;
    tokens.current = { ...tokens.current, expiresAt: 0 };
    await gateway.forUser(tokens).me();
    expect(tokens.current.refreshToken).not.toBe(original);
  });

  it('refreshes once on a 401 and retries the request', async () => {
    const { gateway, tokensFor } = await world();
    const tokens = tokensFor('carol');
    tokens.current = { ...tokens.current, accessToken: 'revoked-by-spotify' };
    expect((await gateway.forUser(tokens).me()).id).toBe('carol');
    expect(tokens.saves).toBe(1);
  });

  it('raises "relink needed" when the refresh token died six months after consent, without retrying', async () => {
    let clock = Date.now();
    const { emulator, gateway, tokensFor } = await world({ now: () => clock });
    const tokens = tokensFor('dave');
    clock += 200 * 24 * 3_600_000;
    tokens.current = { ...tokens.current, expiresAt: 0 };
    await expect(gateway.forUser(tokens).me()).rejects.toBeInstanceOf(RelinkNeededError);
    expect(emulator.requests).toEqual([]);
  });
});

describe('reading', () => {
  it('pages through a 1,000-track playlist 50 at a time', async () => {
    const { emulator, gateway, tokensFor } = await world();
    const progress: number[] = [];
    const items = await gateway
      .forUser(tokensFor('alice'))
      .playlistItems('roadtrip1000', (read) => progress.push(read));
    expect(items).toHaveLength(1000);
    expect(apiRequests(emulator, '/playlists/roadtrip1000/items')).toHaveLength(20);
    expect(progress.at(-1)).toBe(1000);
  });

  it('keeps local files and episodes recognisable', async () => {
    const { gateway, tokensFor } = await world();
    const items = await gateway.forUser(tokensFor('alice')).playlistItems('mixedbag');
    expect(items.filter((i) => i.isLocal)).toHaveLength(2);
    expect(items.filter((i) => i.type === 'episode')).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'track', isLocal: false });
    expect(items[0]!.artists.length).toBeGreaterThan(0);
  });

  it('reads an entry from `item` or from the older `track` key', () => {
    const content = {
      type: 'track' as const,
      id: 't',
      uri: 'spotify:track:t',
      name: 'Song',
      duration_ms: 1000,
      artists: [{ id: 'a', name: 'A' }],
    };
    expect(toPlaylistEntry({ item: content })?.uri).toBe('spotify:track:t');
    expect(toPlaylistEntry({ track: content })?.uri).toBe('spotify:track:t');
    expect(toPlaylistEntry({ item: null, track: null })).toBeUndefined();
  });

  it('says a non-allowlisted member is not registered, and a playlist they cannot read is forbidden', async () => {
    const { gateway, tokensFor } = await world();
    await expect(gateway.forUser(tokensFor('mallory')).me()).rejects.toBeInstanceOf(NotAllowlistedError);
    await expect(gateway.forUser(tokensFor('alice')).playlistItems('bobsecret')).rejects.toBeInstanceOf(
      SpotifyForbiddenError,
    );
  });

  it('coalesces identical GETs in flight into one request', async () => {
    const { emulator, gateway, tokensFor } = await world({ latencyMs: 50 });
    const client = gateway.forUser(tokensFor('alice'));
    const results = await Promise.all(Array.from({ length: 5 }, () => client.playlist('roadtrip1000')));
    expect(new Set(results.map((r) => r.snapshot_id)).size).toBe(1);
    expect(apiRequests(emulator, '/playlists/roadtrip1000')).toHaveLength(1);
    expect(gateway.metrics().coalesced).toBe(4);
  });
});

describe('failures and limits', () => {
  it('retries a GET through 503s after a jittered, growing backoff, but never blindly retries a write', async () => {
    const clock = recordingClock();
    const { emulator, gateway, tokensFor } = await world({}, { ...clock.gateway, random: () => 0.5 });
    emulator.addFault({ method: 'GET', path: '/me', status: 503, times: 2 });
    const client = gateway.forUser(tokensFor('alice'));
    expect((await client.me()).id).toBe('alice');
    expect(apiRequests(emulator, '/me')).toHaveLength(3);
    // Half of each cap above the floor: the cap is 250 ms, then 500 ms; jitter spreads over its upper half.
    expect(clock.sleeps).toEqual([188, 375]);

    emulator.addFault({ method: 'POST', path: '/me/playlists', status: 502, times: 1 });
    await expect(client.createPlaylist('x', '')).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(apiRequests(emulator, '/me/playlists', 'POST')).toHaveLength(1);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('backs off with the injected jitter, from half the cap to the whole cap, and gives up after three retries', async () => {
    const clock = recordingClock();
    let jitter = 0;
    const { emulator, gateway, tokensFor } = await world({}, { ...clock.gateway, random: () => jitter });
    emulator.addFault({ method: 'GET', path: '/me', status: 503, times: 4 });
    await expect(gateway.forUser(tokensFor('alice')).me()).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(clock.sleeps).toEqual([125, 250, 500]);
    expect(apiRequests(emulator, '/me')).toHaveLength(4);

    jitter = 0.999_999;
    emulator.addFault({ method: 'GET', path: '/me', status: 503, times: 1 });
    expect((await gateway.forUser(tokensFor('bob')).me()).id).toBe('bob');
    expect(clock.sleeps.at(-1)).toBe(250);
  });

  it('honours a short Retry-After for background work and fails fast for interactive work', async () => {
    const clock = recordingClock();
    const { emulator, gateway, tokensFor } = await world({}, clock.gateway);
    emulator.addFault({ path: '/me', status: 429, retryAfterSec: 1, times: 1 });
    const started = clock.now();
    expect((await gateway.forUser(tokensFor('alice'), { priority: 'background' }).me()).id).toBe('alice');
    // The pacer held the retry (and everyone else) for exactly the second Spotify asked for.
    expect(clock.timers).toEqual([1_000]);
    expect(clock.now() - started).toBe(1_000);
    expect(apiRequests(emulator, '/me')).toHaveLength(2);

    emulator.addFault({ path: '/me', status: 429, retryAfterSec: 30, times: 1 });
    const waitsBefore = clock.timers.length;
    const error = await gateway
      .forUser(tokensFor('bob'))
      .me()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAt).toBe(clock.now() + 30_000);
    expect(clock.timers.slice(waitsBefore).every((ms) => ms < 1_000)).toBe(true); // no 30 s wait was asked for
    expect(apiRequests(emulator, '/me')).toHaveLength(3);
  });

  it('trips the quota breaker on QUOTA_EXCEEDED and keeps it closed across a restart', async () => {
    const { emulator, gateway, tokensFor } = await world();
    emulator.control.quota.limit = emulator.control.quota.used;
    const error = await gateway
      .forUser(tokensFor('alice'))
      .me()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    const resumesAt = (error as QuotaExceededError).resumesAt;
    expect(resumesAt).toBeGreaterThan(Date.now() + 19 * 3_600_000);

    // A new process: a fresh gateway over the same store sends nothing to Spotify.
    const before = emulator.requests.length;
    const restarted = createSpotifyGateway({
      apiUrl: emulator.apiUrl,
      accountsUrl: emulator.accountsUrl,
      clientId: 'c',
      clientSecret: 's',
      store: testStore(),
      log: captureLogger('silent').log,
    });
    await expect(restarted.forUser(tokensFor('bob')).me()).rejects.toMatchObject({ resumesAt });
    expect(emulator.requests.length).toBe(before);
  });

  it('gives interactive work the whole daily budget and stops background and warming work earlier', async () => {
    // The budget persists in the store, and the file's other gateways may still be writing their
    // counts to the shared one: this test counts on a database of its own.
    const db = await createTestDatabase();
    const store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log: captureLogger('silent').log });
    const w = await gatewayWorld(store, {}, { ...recordingClock().gateway, dailyBudget: 10 });
    emulators.push(w.emulator);
    onTestFinished(async () => {
      await store.close();
      await db.drop();
    });
    const { gateway, tokensFor } = w;
    const warming = gateway.forUser(tokensFor('alice'), { priority: 'warming' });
    const background = gateway.forUser(tokensFor('alice'), { priority: 'background' });
    const interactive = gateway.forUser(tokensFor('alice'));
    for (let i = 0; i < 4; i++) await warming.artist(`missing${i}`).catch(() => {});
    await expect(warming.me()).rejects.toBeInstanceOf(BudgetExhaustedError);
    for (let i = 0; i < 3; i++) await background.me();
    await expect(background.me()).rejects.toBeInstanceOf(BudgetExhaustedError);
    for (let i = 0; i < 3; i++) await interactive.me();
    await expect(interactive.me()).rejects.toMatchObject({ priority: 'interactive' });
    expect(await gateway.budget.remaining('interactive')).toBe(0);
  });
});

describe('fairness between members', () => {
  it('starts another member’s request after at most one more of a member’s long lookup, and keeps coalescing', async () => {
    const { emulator, gateway, tokensFor } = await world({ latencyMs: 2 }, { concurrency: 2, perSecond: 100 });
    const alice = gateway.forUser(tokensFor('alice'));
    const bob = gateway.forUser(tokensFor('bob'));
    const ids = emulator.world.artistList.slice(2100, 2220).map((a) => a.id);
    const lookups = () => apiRequests(emulator, '/artists/').length;
    const job = alice.genresForArtists(ids);
    await waitUntil(() => lookups() >= 10, 'alice’s lookups are under way');

    const before = emulator.requests.length;
    const [me, again] = await Promise.all([bob.me(), bob.me()]);
    expect([me.id, again.id]).toEqual(['bob', 'bob']);
    const bobAt = emulator.requests.findIndex((r) => r.path === '/me');
    // Already started when bob asked (at most 2 in flight) plus one turn of alice's: never the whole queue.
    expect(bobAt - before).toBeLessThanOrEqual(3);
    expect(lookups()).toBeLessThan(ids.length / 2);
    expect(apiRequests(emulator, '/me')).toHaveLength(1); // identical GETs in flight still share one request
    expect((await job).size).toBe(ids.length);
  });
});

describe('the artist-genre cache', () => {
  it('is filled for free by top artists, and looks up each miss once however many callers ask', async () => {
    const { emulator, gateway, tokensFor } = await world({ latencyMs: 20 });
    const alice = gateway.forUser(tokensFor('alice'));
    const top = await alice.topArtists('short_term');
    const topIds = top.map((a) => a.id);
    const before = emulator.requests.length;
    const cached = await alice.genresForArtists(topIds);
    expect(emulator.requests.length).toBe(before);
    expect(cached.get(top[0]!.id)).toEqual(top[0]!.genres);

    const others = emulator.world.artistList
      .slice(2000, 2010)
      .map((a) => a.id)
      .filter((id) => !topIds.includes(id));
    const bob = gateway.forUser(tokensFor('bob'));
    const [a, b] = await Promise.all([alice.genresForArtists(others), bob.genresForArtists(others)]);
    expect(apiRequests(emulator, '/artists/')).toHaveLength(others.length);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(await gateway.knownArtists(others)).toEqual(new Set(others));
  });
});
