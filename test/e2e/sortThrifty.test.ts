import { manualTicks } from '../support/manualTicks.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import { startSpotifyEmulator } from '../../emulators/spotify/index.js';
import { thriftyMinutes } from '../../src/app/genres/resolveArtistGenres.js';
import { createRequestSpacer } from '../../src/musicbrainz/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, text } from '../support/messages.js';

/** MusicBrainz's clock: the spacer's one-second waits move it instead of being sat out. */
let mbTime = Date.parse('2026-11-30T12:00:00Z');
const mbNow = () => mbTime;
const mbSleep = async (ms: number) => void (mbTime += ms);

let mb: MusicBrainzEmulator;
/** roadtrip1000's distinct artists: a cold cache knows none of them. */
let artistIds: string[];
let linkedToMusicBrainz: string[];

beforeAll(async () => {
  // The same seeded world the harness's Spotify emulator will have.
  const probe = await startSpotifyEmulator();
  const world = probe.world;
  artistIds = [
    ...new Set(
      world.playlists
        .get('roadtrip1000')!
        .items.flatMap((i) => (i.kind === 'track' ? world.tracks.get(i.id)!.artistIds : [])),
    ),
  ];
  await probe.close();
  // MusicBrainz links the Spotify URLs of the first 40 of them, and files them under cool jazz.
  linkedToMusicBrainz = artistIds.slice(0, 40);
  mb = await startMusicBrainzEmulator({
    now: mbNow,
    artists: linkedToMusicBrainz.map((id, i) => ({
      id: `mb-linked-${i}`,
      name: `MusicBrainz name ${i}`,
      spotifyIds: [id],
      genres: [{ name: 'cool jazz', count: 5 }],
    })),
  });
}, 60_000);
afterAll(() => mb?.close());
const h = useEncoreHarness(() => ({
  config: { MUSICBRAINZ_URL: mb.url },
  musicbrainzSpacer: createRequestSpacer(1_000, mbNow, mbSleep),
  // No scheduled job runs by itself here: a collector poll on the wall clock's minute would be a
  // Spotify request inside the window that must have none (it made this test fail now and then).
  jobTicks: manualTicks().source,
}));

const artistLookups = () => h.spotify.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/artists/'));

describe('/sort on a large playlist the genre cache does not know', () => {
  let alice: EUser;
  beforeAll(async () => {
    alice = h.member('thrifty-alice');
    expect((await h.link(alice, 'alice')).status).toBe(200);
  }, 60_000);

  it('offers now (N Spotify requests) or thrifty (about M minutes); thrifty finds genres on MusicBrainz with no Spotify request and edits the message into the preview, which Confirm runs', async () => {
    const asked = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    const n = artistIds.length;
    expect(n).toBeGreaterThan(50);
    expect(text(asked.final)).toContain(`has ${n} artists I don’t know yet`);
    const ids = buttons(asked.final!).map((b) => [b.custom_id!.split(':')[1], b.label]);
    expect(ids).toEqual([
      ['genres-now', `Now (${n} Spotify requests)`],
      ['genres-thrifty', `Thrifty (about ${thriftyMinutes(n)} min)`],
      ['genres-cancel', 'Cancel'],
    ]);
    // Asking cost only the reading: no artist was looked up on Spotify.
    expect(artistLookups()).toHaveLength(0);
    expect(text(asked.final)).toContain(`(${await h.encore.gateway.budget.remaining('interactive')} left today`);

    const spotifyBefore = h.spotify.requests.length;
    const thrifty = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-thrifty:'))!;
    const started = await h.click(asked.final!, thrifty.custom_id!, alice);
    expect(text(started.final)).toContain('Finding genres on MusicBrainz');

    // The background preview edits the same message while its token lives.
    await vi.waitFor(() => expect(text(started.interaction.original)).toContain('by genre?'), {
      timeout: 60_000,
      interval: 50,
    });
    const preview = started.interaction.original!;
    expect(h.spotify.requests.length).toBe(spotifyBefore);
    expect(text(preview)).toContain('Road trip · Jazz');
    expect(text(preview)).toContain('Road trip · Unclassified'); // the artists nobody knows count apart

    // MusicBrainz: the exact Spotify link for every artist, one request a second, never a 503.
    const urlLookups = mb.requests.filter((r) => r.path === '/ws/2/url');
    expect(new Set(urlLookups.map((r) => r.query.resource))).toEqual(
      new Set(artistIds.map((id) => `https://open.spotify.com/artist/${id}`)),
    );
    expect(mb.requests.every((r) => r.status !== 503)).toBe(true);
    const gaps = mb.requests.slice(1).map((r, i) => r.at - mb.requests[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);

    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const done = await h.click(preview, confirm.custom_id!, alice);
    expect(text(done.final)).toMatch(/Done: \d+ playlists created/);
    expect([...h.spotify.world.playlists.values()].some((p) => p.name === 'Road trip · Jazz')).toBe(true);
  }, 120_000);

  it('asks again for the artists still unknown; thrifty again asks MusicBrainz nothing (its misses are remembered)', async () => {
    const mbBefore = mb.requests.length;
    const spotifyBefore = h.spotify.requests.length;
    const asked = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    const n = artistIds.length - linkedToMusicBrainz.length;
    expect(text(asked.final)).toContain(`has ${n} artists I don’t know yet`);
    const thrifty = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-thrifty:'))!;
    const started = await h.click(asked.final!, thrifty.custom_id!, alice);
    await vi.waitFor(() => expect(text(started.interaction.original)).toContain('by genre?'), {
      timeout: 60_000,
      interval: 50,
    });
    expect(mb.requests.length).toBe(mbBefore);
    expect(artistLookups().length).toBe(0);
    // Reading the playlist again is all this /sort cost on Spotify.
    expect(h.spotify.requests.length - spotifyBefore).toBeLessThanOrEqual(1 + Math.ceil(1000 / 50) + 2);
  }, 120_000);

  it('"now" spends exactly the N Spotify requests it named', async () => {
    const asked = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    const n = artistIds.length - linkedToMusicBrainz.length;
    const now = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-now:'))!;
    expect(now.label).toBe(`Now (${n} Spotify requests)`);
    const lookupsBefore = artistLookups().length;
    const preview = await h.click(asked.final!, now.custom_id!, alice);
    expect(text(preview.final)).toContain('by genre?');
    expect(artistLookups().length - lookupsBefore).toBe(n);

    // The cache knows them all now: the next /sort previews at once, without asking.
    const again = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    expect(text(again.final)).toContain('by genre?');
    expect(artistLookups().length - lookupsBefore).toBe(n);
  }, 120_000);

  it('Cancel on the question writes nothing', async () => {
    const before = h.spotify.world.playlists.size;
    const asked = await h.invoke('/sort', { playlist: 'everything10k', min_tracks: 5 }, alice);
    expect(text(asked.final)).toContain('artists I don’t know yet');
    const cancel = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-cancel:'))!;
    const cancelled = await h.click(asked.final!, cancel.custom_id!, alice);
    expect(text(cancelled.final)).toContain('Cancelled — nothing was written.');
    expect(h.spotify.world.playlists.size).toBe(before);
  }, 120_000);
});
