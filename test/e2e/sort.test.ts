import { beforeAll, describe, expect, it } from 'vitest';
import { startEncore } from '../../src/encore.js';
import type { EUser } from '../../emulators/discord/index.js';
import { captureLogger } from '../support/logger.js';
import { TEST_SPOTIFY_LIMITS, useEncoreHarness } from '../support/encoreHarness.js';
import { buttons } from '../support/messages.js';
import { manualTicks } from '../support/manualTicks.js';
import { sortWorld } from '../support/sortWorld.js';
import { waitUntil } from '../support/waitUntil.js';

const h = useEncoreHarness();
let alice: EUser;
beforeAll(async () => {
  alice = h.member('alice-sort');
  expect((await h.link(alice, 'alice')).status).toBe(200);
}, 60_000);
const { trackUris: sourceUris, createdFrom } = sortWorld(() => h.spotify, 'alice');

describe('/sort split', () => {
  it('previews a 1,000-track playlist with a chart, writes nothing, and on Confirm creates private genre playlists in the original order', async () => {
    const before = h.spotify.world.playlists.size;
    const preview = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice);
    expect(preview.ephemeral).toBe(true);
    expect(h.spotify.world.playlists.size).toBe(before);
    const final = preview.final!;
    expect(final.files[0]!.filename).toBe('sort-preview.png');
    expect(final.files[0]!.description).toMatch(/^Bar chart of tracks per genre playlist: /);
    const planned = (final.embeds[0] as { description: string }).description
      .split('\n')
      .map((l) => /\*\*(.+)\*\* — (\d+) tracks/.exec(l)!.slice(1));
    expect(planned.length).toBeGreaterThan(1);

    const confirm = buttons(final).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const done = await h.click(final, confirm.custom_id!, alice);
    expect(JSON.stringify(done.final!.embeds)).toContain(`Done: ${planned.length} playlists created`);

    const created = createdFrom('Road trip');
    expect(created.map((p) => [p.name, String(p.items.length)]).sort()).toEqual(planned.map(([n, c]) => [n, c]).sort());
    expect(created.every((p) => p.public === false)).toBe(true);
    // Every track lands in exactly one genre playlist, each playlist keeps the source order.
    const source = sourceUris('roadtrip1000');
    const placed = created.flatMap((p) => p.items.map((i) => `spotify:track:${(i as { id: string }).id}`));
    expect(placed.sort()).toEqual([...source].sort());
    for (const p of created) {
      const positions = p.items.map((i) => source.indexOf(`spotify:track:${(i as { id: string }).id}`));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('skips and counts local files, episodes and duplicates, and puts artists without genres in Unclassified', async () => {
    const preview = await h.invoke(
      '/sort',
      { playlist: 'https://open.spotify.com/playlist/mixedbag?si=x', min_tracks: 1 },
      alice,
    );
    const fields = (preview.final!.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    expect(fields.find((f) => f.name === 'Skipped')!.value).toBe('2 local files, 2 episodes, 3 duplicates');
    // Tracks whose every artist has an empty genre list in Spotify's data can only be unclassified.
    const world = h.spotify.world;
    const seen = new Set<string>();
    const noGenre = world.playlists.get('mixedbag')!.items.filter((i) => {
      if (i.kind !== 'track' || seen.has(i.id)) return false;
      seen.add(i.id);
      return world.tracks.get(i.id)!.artistIds.every((a) => world.artists.get(a)!.genres.length === 0);
    }).length;
    expect(noGenre).toBeGreaterThan(0);
    const unclassified = /\((\d+) without a known genre\)/.exec(fields.find((f) => f.name === 'Tracks')!.value);
    expect(Number(unclassified?.[1])).toBeGreaterThanOrEqual(noGenre);
  });

  it('cancels without writing', async () => {
    const before = h.spotify.world.playlists.size;
    const preview = await h.invoke('/sort', { playlist: 'spotify:playlist:smallone', min_tracks: 1 }, alice);
    const cancel = buttons(preview.final!).find((b) => b.custom_id?.startsWith('sort:cancel:'))!;
    const cancelled = await h.click(preview.final!, cancel.custom_id!, alice);
    expect(JSON.stringify(cancelled.final!.embeds)).toContain('Cancelled — nothing was written');
    expect(h.spotify.world.playlists.size).toBe(before);
  });

  it('explains a playlist the member does not own, an empty playlist, and a bad link', async () => {
    const notMine = await h.invoke('/sort', { playlist: 'https://open.spotify.com/playlist/bobsecret' }, alice);
    expect(JSON.stringify(notMine.final!.embeds)).toContain('only sort playlists you own or collaborate on');
    const empty = await h.invoke('/sort', { playlist: 'emptyone' }, alice);
    expect(JSON.stringify(empty.final!.embeds)).toContain('is empty — nothing to sort');
    const bad = await h.invoke('/sort', { playlist: 'not a playlist!' }, alice);
    expect(JSON.stringify(bad.final!.embeds)).toContain('couldn’t find that playlist');
  });

  it('autocompletes the member’s own and collaborative playlists only', async () => {
    const seen = await h.autocomplete('/sort', { playlist: '' }, 'playlist', alice);
    const values = seen.choices!.map((c) => c.value);
    expect(values.length).toBe(25);
    const friends = await h.autocomplete('/sort', { playlist: 'friends' }, 'playlist', alice);
    expect(friends.choices!.map((c) => c.value)).toEqual(['friendsmix']);
    const secret = await h.autocomplete('/sort', { playlist: 'favourites' }, 'playlist', alice);
    expect(secret.choices).toEqual([]);
  });

  it('previews a 10,000-track playlist', async () => {
    const preview = await h.invoke('/sort', { playlist: 'everything10k', min_tracks: 50 }, alice);
    const fields = (preview.final!.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    expect(fields.find((f) => f.name === 'Tracks')!.value).toMatch(/^10000/);
    expect(fields.find((f) => f.name === 'Spotify requests')!.value).toMatch(/to read/);
  }, 120_000);
});

describe('a sort interrupted by a restart', () => {
  it('resumes after the restart and ends with exactly the planned playlists, no duplicates, and a DM', async () => {
    const bob = h.member('bob-sort');
    expect((await h.link(bob, 'bob')).status).toBe(200);
    const preview = await h.invoke('/sort', { playlist: 'bobmain', min_tracks: 5 }, bob);
    const confirm = buttons(preview.final!).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const jobId = confirm.custom_id!.split(':')[2]!;

    // Hold every playlist create at Spotify, confirm, and stop the whole bot while they are in flight:
    // the creates then land, the runner stops after them, and the job is left mid-way.
    let release!: () => void;
    h.spotify.addFault({ method: 'POST', path: '/me/playlists', gate: new Promise<void>((r) => (release = r)) });
    const creates = () => h.spotify.requests.filter((r) => r.method === 'POST' && r.path === '/me/playlists').length;
    const createsBefore = creates();
    void h.emulator.component(preview.final!, confirm.custom_id!, bob);
    await waitUntil(() => creates() > createsBefore, 'a playlist create reached Spotify');
    expect(creates()).toBeGreaterThan(createsBefore);
    const stopping = h.encore.stop(10_000);
    release();
    await stopping;
    h.spotify.control.faults.length = 0;
    const job = await (async () => {
      const { openStore } = await import('../../src/store/index.js');
      const store = await openStore({
        databaseUrl: h.config.DATABASE_URL,
        dataDir: '/x',
        log: captureLogger('silent').log,
      });
      const { createSortJobRepository } = await import('../../src/store/sortJobs.js');
      const record = (await createSortJobRepository(store).get(jobId))!;
      await store.close();
      return record;
    })();
    const bobPlaylists = () =>
      [...h.spotify.world.playlists.values()].filter(
        (p) => p.ownerId === 'bob' && p.description.includes('encore-src'),
      );
    expect(job.status).toBe('running');
    const createdBeforeRestart = bobPlaylists().length;
    expect(createdBeforeRestart).toBeLessThan(job.state.targets.length);

    const dmsBefore = h.dmsOf(bob).length;
    const restarted = await startEncore({
      config: h.config,
      log: captureLogger('silent').log,
      host: '127.0.0.1',
      spotifyLimits: TEST_SPOTIFY_LIMITS,
      // It resumes the sort as it starts (not on a cron minute), and no real minute may tick mid-test.
      jobTicks: manualTicks().source,
    });
    try {
      await waitUntil(() => h.dmsOf(bob).length > dmsBefore, 'bob was sent a DM after the restart');
      expect(h.dmsOf(bob).at(-1)!.content).toContain("Your sort of **Bob Marley Fan's mix** is finished");
      // The member's original message follows the resumed sort too (its token is still alive).
      const original = h.emulator.state.messages.get(preview.final!.id)!;
      expect(JSON.stringify(original.embeds)).toContain('playlists created');
      expect(JSON.stringify(original.embeds)).toContain('I also sent you this by DM');
      const created = bobPlaylists();
      expect(created.map((p) => p.name).sort()).toEqual(job.state.targets.map((t) => t.playlistName).sort());
      for (const target of job.state.targets) {
        const playlist = created.find((p) => p.name === target.playlistName)!;
        expect(playlist.items.map((i) => `spotify:track:${(i as { id: string }).id}`)).toEqual(target.trackUris);
      }
    } finally {
      await restarted.stop(10_000);
    }
  }, 60_000);
});
