import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWLISTED, startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { SuggestRequest } from '../../src/app/suggest/ports.js';
import { createSuggestService } from '../../src/app/suggest/suggestService.js';
import { createSpotifyGateway } from '../../src/spotify/index.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { optIn, storeListening, suggestDeps } from '../support/suggestWorld.js';
import { recordingClock } from '../spotify/setup.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30);
const GUILD = '900000000000000002';
const MEMBERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'listener1', 'listener2', 'listener3', 'listener4'];

const getStore = useTestStore();
let emulator: SpotifyEmulator;
let clock: ReturnType<typeof recordingClock>;

beforeAll(async () => {
  clock = recordingClock(NOW);
  emulator = await startSpotifyEmulator({
    now: clock.now,
    listeners: 5,
    clusters: 2,
    newReleases: 600,
    // listener5 is linked but Encore has none of their history yet.
    allowlist: [...ALLOWLISTED, 'listener5'],
  });
  await storeListening(getStore(), emulator, MEMBERS, { from: NOW - 35 * DAY, to: NOW });
  await optIn(getStore(), GUILD, MEMBERS);
}, 120_000);
afterAll(async () => emulator?.close());

const depsWith = (dailyBudget?: number) =>
  suggestDeps(
    getStore(),
    createSpotifyGateway({
      apiUrl: emulator.apiUrl,
      accountsUrl: emulator.accountsUrl,
      clientId: 'test-client',
      clientSecret: 'test-secret',
      store: getStore(),
      log: captureLogger('silent').log,
      dailyBudget,
      ...clock.gateway,
    }),
    emulator,
  );
const request = (memberId: string, extra: Partial<SuggestRequest> = {}): SuggestRequest => ({
  memberId,
  guildId: GUILD,
  count: 10,
  from: 'everything',
  now: NOW,
  ...extra,
});

describe('/suggest when the daily Spotify budget is short', () => {
  it('skips the sources it cannot afford, says which, and stays inside the budget', async () => {
    // Six requests left: the discographies (3 album lists, 4 track lists, 1 tag:new search) do not fit.
    const deps = depsWith(6);
    const before = emulator.requests.length;
    const result = await createSuggestService(deps).suggest(request('alice'));
    const sent = emulator.requests.length - before;
    expect([...result.skipped].sort()).toEqual(['deepCut', 'newRelease']);
    expect(result.suggestions.length).toBe(10);
    for (const s of result.suggestions) expect(['server', 'genre']).toContain(s.reason.source);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(6);
    expect(result.requests).toBe(sent);
  });

  it('with nothing left, sends nothing and offers nothing it could not check against the library', async () => {
    const deps = depsWith(0);
    const before = emulator.requests.length;
    const result = await createSuggestService(deps).suggest(request('bob'));
    expect(emulator.requests.length - before).toBe(0);
    expect(result.suggestions).toEqual([]);
    expect(result.skipped).toEqual(expect.arrayContaining(['server', 'newRelease', 'deepCut']));
    expect(result.requests).toBe(0);
  });
});

describe('/suggest for a member Encore knows little about', () => {
  it('reads their top artists from Spotify only when their history is too thin', async () => {
    const service = createSuggestService(depsWith());
    const topRequests = (from: number) => emulator.requests.slice(from).filter((r) => r.path.startsWith('/me/top/'));
    const before = emulator.requests.length;
    const thin = await service.suggest(request('listener5'));
    expect(topRequests(before)).toHaveLength(1);
    expect(thin.suggestions.length).toBeGreaterThan(0);
    const spotifyTop = new Set(emulator.world.users.get('listener5')!.topArtists.short_term);
    for (const s of thin.suggestions)
      if (s.reason.source === 'deepCut' || s.reason.source === 'newRelease')
        expect(s.artists.some((a) => spotifyTop.has(a.id))).toBe(true);

    const after = emulator.requests.length;
    await service.suggest(request('dave'));
    expect(topRequests(after)).toHaveLength(0);
  });
});

describe('/suggest as of an instant', () => {
  it('reads nothing played after `now`: the same answer before and after a later week is stored', async () => {
    const deps = depsWith();
    const service = createSuggestService(deps);
    // Warm the caches first, so both answers read the same Spotify data.
    await service.suggest(request('carol', { from: 'server' }));
    await service.suggest(request('carol', { from: 'genre' }));
    const server = await service.suggest(request('carol', { from: 'server' }));
    const genre = await service.suggest(request('carol', { from: 'genre' }));
    expect(server.suggestions.length).toBe(10);
    expect(genre.suggestions.length).toBeGreaterThan(0);

    const stored = await storeListening(getStore(), emulator, MEMBERS, { from: NOW, to: NOW + 7 * DAY });
    expect(stored).toBeGreaterThan(500);
    expect(await service.suggest(request('carol', { from: 'server' }))).toEqual(server);
    expect(await service.suggest(request('carol', { from: 'genre' }))).toEqual(genre);

    // The later week is visible to an answer asked after it: the check above can fail.
    const later = await service.suggest(request('carol', { from: 'server', now: NOW + 7 * DAY }));
    expect(later.suggestions.map((s) => s.trackId)).not.toEqual(server.suggestions.map((s) => s.trackId));
  });
});

// Last: the quota breaker it opens is kept in the store for hours, as it must be.
describe('/suggest when Spotify says the quota is spent', () => {
  it('answers without failing and says what it skipped', async () => {
    const deps = depsWith();
    // Two more requests and Spotify's development-mode quota answers 429 QUOTA_EXCEEDED.
    emulator.control.quota.limit = emulator.control.quota.used + 2;
    try {
      const result = await createSuggestService(deps).suggest(request('erin'));
      expect(result.skipped).toEqual(expect.arrayContaining(['newRelease', 'deepCut']));
      for (const s of result.suggestions) expect(['server', 'genre']).toContain(s.reason.source);
    } finally {
      emulator.control.quota.limit = Number.MAX_SAFE_INTEGER;
    }
  });
});
