import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { SuggestDeps } from '../../src/app/suggest/engine.js';
import type { SuggestRequest, SuggestResult } from '../../src/app/suggest/ports.js';
import { COLD_REQUEST_CAP, WARM_REQUEST_CAP, createSuggestService } from '../../src/app/suggest/suggestService.js';
import { parentGenreOf } from '../../src/core/genres/index.js';
import { reasonText } from '../../src/discord/messages/suggestMessage.js';
import { createSpotifyGateway, type SpotifyGateway } from '../../src/spotify/index.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { optIn, storeListening, suggestDeps } from '../support/suggestWorld.js';
import { recordingClock } from '../spotify/setup.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30); // a Monday, midnight UTC
const HISTORY_FROM = NOW - 35 * DAY;
const GUILD = '900000000000000001';
// Clusters are dealt round robin over the world's users: alice, carol, erin, listener1, listener3 …
// share one taste; bob, dave, mallory, listener2 … another.
const LISTENERS = ['listener1', 'listener2', 'listener3', 'listener4', 'listener5', 'listener6'];
const MEMBERS = ['alice', 'bob', 'carol', 'dave', 'erin', ...LISTENERS];
/** Opted in for the server: everyone but dave and listener3 (who must never be used or named). */
const OPTED_IN = MEMBERS.filter((m) => m !== 'dave' && m !== 'listener3');

const getStore = useTestStore();
let emulator: SpotifyEmulator;
let clock: ReturnType<typeof recordingClock>;

const gatewayFor = (dailyBudget?: number): SpotifyGateway =>
  createSpotifyGateway({
    apiUrl: emulator.apiUrl,
    accountsUrl: emulator.accountsUrl,
    clientId: 'test-client',
    clientSecret: 'test-secret',
    store: getStore(),
    log: captureLogger('silent').log,
    dailyBudget,
    ...clock.gateway,
  });

beforeAll(async () => {
  clock = recordingClock(NOW);
  emulator = await startSpotifyEmulator({
    now: clock.now,
    listeners: LISTENERS.length,
    clusters: 2,
    newReleases: 600,
    listening: Object.fromEntries(LISTENERS.map((id) => [id, { hoursPerDay: 2 }])),
  });
  await storeListening(getStore(), emulator, MEMBERS, { from: HISTORY_FROM, to: NOW });
  await optIn(getStore(), GUILD, OPTED_IN);
}, 120_000);
afterAll(async () => emulator?.close());

const ask = (deps: SuggestDeps, memberId: string, extra: Partial<SuggestRequest> = {}) =>
  createSuggestService(deps).suggest({ memberId, guildId: GUILD, count: 10, from: 'everything', now: NOW, ...extra });

/** What the member played in the history Encore collected (the emulator's listening truth for that span). */
const playedBy = (memberId: string) =>
  new Set(emulator.listening.playsBetween(memberId, HISTORY_FROM, NOW).map((p) => p.trackId));

function expectAtMostTwoPerArtist(result: SuggestResult) {
  const perArtist = new Map<string, number>();
  for (const s of result.suggestions)
    for (const a of new Set(s.artists.map((x) => x.id))) perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
  expect(Math.max(0, ...perArtist.values())).toBeLessThanOrEqual(2);
}

describe('/suggest on the emulator world (real Postgres, Spotify emulator over HTTP)', () => {
  it('answers from every source, each suggestion with its reason, nothing the member played', async () => {
    const deps = suggestDeps(getStore(), gatewayFor(), emulator);
    const everything = await ask(deps, 'alice', { count: 25 });
    expect(everything.suggestions.length).toBe(25);
    expect(new Set(everything.suggestions.map((s) => s.reason.source)).size).toBeGreaterThanOrEqual(3);
    const played = playedBy('alice');
    for (const s of everything.suggestions) {
      expect(played.has(s.trackId)).toBe(false);
      expect(s.uri).toBe(`spotify:track:${s.trackId}`);
    }
    expectAtMostTwoPerArtist(everything);
    expect(everything.skipped).toEqual([]);

    const server = await ask(deps, 'alice', { from: 'server' });
    expect(server.suggestions.length).toBe(10);
    for (const s of server.suggestions) {
      if (s.reason.source !== 'server') throw new Error(`server answer with a ${s.reason.source} reason`);
      expect(s.reason.plays).toBeGreaterThan(0);
      expect(s.reason.listeners.length).toBeGreaterThan(0);
      expect(s.reason.listeners.length).toBeLessThanOrEqual(3);
      for (const l of s.reason.listeners) {
        // Only opted-in members are used or named, never the asker.
        expect(OPTED_IN).toContain(l.memberId);
        expect(l.memberId).not.toBe('alice');
        expect(l.similarity).toBeGreaterThanOrEqual(25);
      }
      // What the member reads: the closest listener's score from the real scorer, out of 100.
      const shown = reasonText(s.reason, new Map(s.reason.listeners.map((l) => [l.memberId, l.memberId])));
      const percent = Number(/taste (\d+) % like yours/.exec(shown)?.[1]);
      expect(percent).toBe(s.reason.listeners[0]!.similarity);
      expect(percent).toBeLessThanOrEqual(100);
      // The plays counted are exactly those of the members it names, in the last 30 days.
      const plays = s.reason.listeners
        .map(
          (l) =>
            emulator.listening.playsBetween(l.memberId, NOW - 30 * DAY, NOW).filter((p) => p.trackId === s.trackId)
              .length,
        )
        .reduce((a, b) => a + b, 0);
      expect(s.reason.plays).toBe(plays);
    }
    expectAtMostTwoPerArtist(server);

    const artists = await ask(deps, 'alice', { from: 'artists' });
    expect(artists.suggestions.length).toBeGreaterThan(0);
    const alicesArtists = new Set(
      emulator.listening
        .playsBetween('alice', NOW - 28 * DAY, NOW)
        .map((p) => emulator.world.tracks.get(p.trackId)!.artistIds[0]!),
    );
    for (const s of artists.suggestions) {
      if (s.reason.source !== 'newRelease' && s.reason.source !== 'deepCut')
        throw new Error(`artists answer with a ${s.reason.source} reason`);
      expect(s.artists.map((a) => a.name)).toContain(s.reason.artistName);
      expect(s.reason.artistRank).toBeGreaterThanOrEqual(1);
      expect(s.artists.some((a) => alicesArtists.has(a.id))).toBe(true);
      if (s.reason.source === 'newRelease')
        expect(Date.parse(s.reason.releaseDate)).toBeGreaterThanOrEqual(NOW - 121 * DAY);
    }

    const genreReason = everything.suggestions.find((s) => s.reason.source === 'genre')?.reason;
    if (genreReason?.source !== 'genre') throw new Error('no genre suggestion in the everything answer');
    const parent = parentGenreOf(genreReason.genre)!.id;
    const genre = await ask(deps, 'alice', { from: 'genre', genre: parent });
    expect(genre.suggestions.length).toBeGreaterThan(0);
    for (const s of genre.suggestions) {
      if (s.reason.source !== 'genre') throw new Error(`genre answer with a ${s.reason.source} reason`);
      expect(parentGenreOf(s.reason.genre)?.id).toBe(parent);
      expect(s.reason.genrePlays).toBeGreaterThan(0);
      const genres = s.artists.flatMap((a) => emulator.world.artists.get(a.id)?.genres ?? []);
      expect(genres).toContain(s.reason.genre);
    }
  });

  it('costs at most 15 Spotify requests cold and 3 warm, counted at the emulator', async () => {
    const deps = suggestDeps(getStore(), gatewayFor(), emulator);
    const before = emulator.requests.length;
    const cold = await ask(deps, 'bob');
    const coldRequests = emulator.requests.length - before;
    expect(cold.suggestions.length).toBe(10);
    expect(coldRequests).toBeGreaterThan(0);
    expect(coldRequests).toBeLessThanOrEqual(COLD_REQUEST_CAP);
    expect(cold.requests).toBe(coldRequests);

    const between = emulator.requests.length;
    const warm = await ask(deps, 'bob');
    const warmRequests = emulator.requests.length - between;
    expect(warmRequests).toBeLessThanOrEqual(WARM_REQUEST_CAP);
    expect(warm.requests).toBe(warmRequests);
    expect(warm.suggestions.map((s) => s.trackId)).toEqual(cold.suggestions.map((s) => s.trackId));
  });

  it('never offers a track the member saved, nor an artist they dismissed', async () => {
    const first = await ask(suggestDeps(getStore(), gatewayFor(), emulator), 'carol');
    expect(first.suggestions.length).toBe(10);
    // carol saves three of them in Spotify; a new process (no library answers in memory) asks again.
    const carol = emulator.world.users.get('carol')!;
    const saved = first.suggestions.slice(0, 3).map((s) => s.trackId);
    carol.savedTracks.push(...saved.map((id) => ({ id, addedAt: new Date(NOW - DAY).toISOString() })));
    const deps = suggestDeps(getStore(), gatewayFor(), emulator);
    const again = await ask(deps, 'carol');
    expect(again.suggestions.length).toBe(10);
    for (const s of again.suggestions) expect(saved).not.toContain(s.trackId);

    // 👎 on an artist: gone from every later answer, whatever the source.
    const dismissed = again.suggestions[0]!.artists[0]!.id;
    await deps.feedback.dismissArtist('carol', dismissed);
    for (const from of ['everything', 'server', 'artists'] as const) {
      const later = await ask(deps, 'carol', { from, count: 25 });
      for (const s of later.suggestions) expect(s.artists.map((a) => a.id)).not.toContain(dismissed);
    }
  });

  it('👍 on a source makes that source weigh more in the next answer', async () => {
    const deps = suggestDeps(getStore(), gatewayFor(), emulator);
    const count = (r: SuggestResult) => r.suggestions.filter((s) => s.reason.source === 'genre').length;
    const before = await ask(deps, 'erin');
    for (let i = 0; i < 15; i++) await deps.feedback.like('erin', 'genre');
    const after = await ask(deps, 'erin');
    expect(count(after)).toBeGreaterThan(count(before));
  });
});
