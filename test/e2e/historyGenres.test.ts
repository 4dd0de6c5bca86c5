import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import { startSpotifyEmulator } from '../../emulators/spotify/index.js';
import { createRequestSpacer } from '../../src/musicbrainz/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';

/** MusicBrainz's clock: the spacer's one-second waits move it instead of being sat out. */
let mbTime = Date.parse('2026-11-30T12:00:00Z');
const mbNow = () => mbTime;
const mbSleep = async (ms: number) => void (mbTime += ms);
const DAILY_BUDGET = 30;

let mb: MusicBrainzEmulator;
/** Spotify artists MusicBrainz links (every other one of the seeded world). */
const linked = new Set<string>();
beforeAll(async () => {
  const probe = await startSpotifyEmulator(); // the same seeded world the harness's emulator has
  probe.world.artistList.forEach((a, i) => i % 2 === 0 && linked.add(a.id));
  await probe.close();
  mb = await startMusicBrainzEmulator({
    now: mbNow,
    artists: [...linked].map((id, i) => ({
      id: `mb-${i}`,
      name: `MusicBrainz artist ${i}`,
      spotifyIds: [id],
      genres: [{ name: 'cool jazz', count: 3 }],
    })),
  });
}, 60_000);
afterAll(() => mb?.close());
const h = useEncoreHarness(() => ({
  config: { MUSICBRAINZ_URL: mb.url },
  musicbrainzSpacer: createRequestSpacer(1_000, mbNow, mbSleep),
  spotifyLimits: { dailyBudget: DAILY_BUDGET },
}));

const genreRollups = async (memberId: string) =>
  Object.fromEntries(
    (
      await h.encore.store.pool.query<{ genre: string; plays: string }>(
        'SELECT genre, sum(plays) AS plays FROM member_daily_genres WHERE member_id = $1 GROUP BY genre',
        [memberId],
      )
    ).rows.map((r) => [r.genre, Number(r.plays)]),
  );

describe('genres for the history, without spending the Spotify quota', () => {
  it('the background resolver job learns the history’s artists from MusicBrainz first, spends Spotify only inside the warming share, and the recount reclassifies the plays', async () => {
    const member = h.member('history-genres');
    expect((await h.link(member, 'dave')).status).toBe(200);
    await h.encore.jobs.runNow('collect-history');
    const before = await genreRollups(member.id);
    expect(before.unclassified).toBe(50); // the collector never asks Spotify for genres

    const historyArtists = (await h.encore.store.pool.query<{ id: string }>('SELECT id FROM artists')).rows.map(
      (r) => r.id,
    );
    const unknownToMusicBrainz = historyArtists.filter((id) => !linked.has(id));
    expect(unknownToMusicBrainz.length).toBeGreaterThan(0);
    const warmingLeft = await h.encore.gateway.budget.remaining('warming');
    // The warming share is smaller than what MusicBrainz leaves to Spotify: the cap is what stops the job.
    expect(warmingLeft).toBeGreaterThan(0);
    expect(warmingLeft).toBeLessThan(unknownToMusicBrainz.length);
    const lookupsBefore = h.spotify.requests.filter((r) => r.path.startsWith('/artists/')).length;

    await h.encore.jobs.runNow('resolve-genres');

    // MusicBrainz: every history artist by its exact Spotify link, one request a second.
    const resources = mb.requests.filter((r) => r.path === '/ws/2/url').map((r) => r.query.resource);
    expect(new Set(resources)).toEqual(new Set(historyArtists.map((id) => `https://open.spotify.com/artist/${id}`)));
    expect(mb.requests.every((r) => r.status !== 503)).toBe(true);
    // Spotify: only artists MusicBrainz does not know, and no more than the warming share allowed.
    const lookups = h.spotify.requests.filter((r) => r.path.startsWith('/artists/')).slice(lookupsBefore);
    expect(lookups.every((r) => unknownToMusicBrainz.includes(r.path.split('/')[2]!))).toBe(true);
    expect(lookups.length).toBe(warmingLeft);
    expect(await h.encore.gateway.budget.remaining('warming')).toBe(0);
    // Members' own commands keep the rest of the day.
    expect(await h.encore.gateway.budget.remaining('interactive')).toBeGreaterThanOrEqual(DAILY_BUDGET * 0.6);

    await h.encore.jobs.runNow('reclassify-history');
    const after = await genreRollups(member.id);
    expect(after.Jazz ?? after.jazz).toBeGreaterThan(0);
    expect(after.unclassified ?? 0).toBeLessThan(before.unclassified!);
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(50);
  }, 120_000);
});
