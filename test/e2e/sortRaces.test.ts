import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds as text } from '../support/messages.js';
import { sortWorld } from '../support/sortWorld.js';
import { waitUntil } from '../support/waitUntil.js';

const h = useEncoreHarness();
let alice: EUser;
beforeAll(async () => {
  alice = h.member('alice-races');
  expect((await h.link(alice, 'alice')).status).toBe(200);
}, 60_000);
const { trackUris, createdFrom, deleteCreated } = sortWorld(() => h.spotify, 'alice');
const planOf = (preview: RecordedMessage) =>
  (preview.embeds[0] as { description: string }).description
    .split('\n')
    .map((l) => /\*\*(.+)\*\* — (\d+) tracks/.exec(l)!.slice(1))
    .map(([name, count]) => [name!, Number(count)] as const)
    .sort();
const asWritten = (name: string) =>
  createdFrom(name)
    .map((p) => [p.name, p.items.length] as const)
    .sort();
/** Every track of the source lands exactly once across the genre playlists. */
const expectEachTrackOnce = (source: string, name: string) => {
  const placed = createdFrom(name).flatMap((p) => p.items.map((i) => `spotify:track:${(i as { id: string }).id}`));
  expect(placed.length).toBe(new Set(placed).size);
  expect(placed.sort()).toEqual(trackUris(source).sort());
};

describe('/sort never writes twice', () => {
  it('two Confirm clicks at the same moment create one set of playlists; the second click is told it is already running', async () => {
    deleteCreated('Road trip');
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    expect(confirm, text(preview)).toBeDefined();
    const [one, two] = await Promise.all([
      h.click(preview, confirm.custom_id!, alice),
      h.click(preview, confirm.custom_id!, alice),
    ]);
    expect(asWritten('Road trip')).toEqual(planOf(preview));
    expectEachTrackOnce('roadtrip1000', 'Road trip');
    const notes = [...one.followUps, ...two.followUps].map((m) => m.content);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/already (running|finished)/);
    expect(text(one.final) + text(two.final)).toContain('Done: ');
  });

  it('the every-minute resume job leaves alone a sort that a Confirm click is running: one set of playlists, one answer, no DM', async () => {
    deleteCreated('Road trip');
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const dmsBefore = h.dmsOf(alice).length;
    // Hold the track writes at Spotify so the Confirm run is certainly mid-way when the tick comes.
    let release!: () => void;
    h.spotify.addFault({
      method: 'POST',
      path: /^\/playlists\/[^/]+\/items$/,
      gate: new Promise<void>((r) => (release = r)),
    });
    try {
      const clicked = h.click(preview, confirm.custom_id!, alice);
      await waitUntil(() => createdFrom('Road trip').length >= 1, 'a Road trip playlist was created');
      // The next minute's tick, while the Confirm run is still writing.
      await h.encore.jobs.runNow('resume-sorts', new Date(Date.now() + 61_000));
      release();
      const done = await clicked;
      expect(text(done.final)).toContain('Done: ');
    } finally {
      release();
      h.spotify.control.faults.length = 0;
    }
    expect(asWritten('Road trip')).toEqual(planOf(preview));
    expectEachTrackOnce('roadtrip1000', 'Road trip');
    expect(
      h
        .dmsOf(alice)
        .slice(dmsBefore)
        .filter((m) => m.content?.includes('is finished')),
    ).toEqual([]);
  });

  it('sorting the same playlist again adopts the playlists the first sort made and adds only what is missing', async () => {
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const before = asWritten('Road trip');
    // The member removed some tracks from one of the genre playlists meanwhile.
    const first = createdFrom('Road trip')[0]!;
    first.items.splice(0, 5);
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const done = await h.click(preview, confirm.custom_id!, alice);
    expect(text(done.final)).toContain('Done: ');
    expect(asWritten('Road trip')).toEqual(before);
    expectEachTrackOnce('roadtrip1000', 'Road trip');
  });

  it('Stop while it runs ends it at the next step and lists exactly what is in the library; Cancel after the end changes nothing', async () => {
    deleteCreated('Road trip');
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const jobId = confirm.custom_id!.split(':')[2]!;
    // Hold every track write at Spotify: the playlists get created, then Stop is pressed while the
    // first writes are in flight, and only then do they land.
    let release!: () => void;
    h.spotify.addFault({
      method: 'POST',
      path: /^\/playlists\/[^/]+\/items$/,
      gate: new Promise<void>((r) => (release = r)),
    });
    const adds = () =>
      h.spotify.requests.filter((r) => r.method === 'POST' && /^\/playlists\/[^/]+\/items$/.test(r.path)).length;
    const addsBefore = adds();
    let done;
    try {
      const clicked = h.click(preview, confirm.custom_id!, alice);
      await waitUntil(() => adds() > addsBefore, 'a track add reached Spotify');
      const stop = await h.click(preview, `sort:stop:${jobId}:${alice.id}`, alice);
      expect(stop.followUps.map((m) => text(m)).join()).toContain('Stopping');
      release();
      done = await clicked;
    } finally {
      release();
      h.spotify.control.faults.length = 0;
    }
    expect(text(done.final)).toContain('Stopped');
    const listed = [...text(done.final).matchAll(/\*\*([^*]+)\*\* — (\d+) tracks?/g)]
      .map((m) => [m[1]!, Number(m[2])] as const)
      .sort();
    expect(listed).toEqual(asWritten('Road trip'));
    const tracks = (rows: ReadonlyArray<readonly [string, number]>) => rows.reduce((n, [, c]) => n + c, 0);
    expect(tracks(listed)).toBeLessThan(tracks(planOf(preview)));

    const cancelAfter = await h.click(done.final!, `sort:cancel:${jobId}:${alice.id}`, alice);
    expect(text(cancelAfter.final)).toContain('already');
    expect(asWritten('Road trip')).toEqual(listed);
  });

  it('buttons act only for the member they were made for: anyone else is told so and the preview stays', async () => {
    const bob = h.member('bob-races');
    const preview = (await h.invoke('/sort', { playlist: 'smallone', min_tracks: 1 }, alice)).final!;
    const cancel = buttons(preview).find((b) => b.custom_id?.startsWith('sort:cancel:'))!;
    const intruder = await h.click(preview, cancel.custom_id!, bob);
    expect(intruder.rejected).toEqual([]);
    expect(
      JSON.stringify(intruder.history.concat(intruder.followUps)) + JSON.stringify(intruder.interaction),
    ).toContain('belong to');
    const stillThere = h.emulator.state.messages.get(preview.id)!;
    expect(buttons(stillThere).map((b) => b.custom_id)).toEqual(buttons(preview).map((b) => b.custom_id));
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    expect(text((await h.click(preview, confirm.custom_id!, alice)).final)).toContain('Done: ');
  });

  it('a playlist id or link that does not exist is answered as a user error and logged as one, not as a bug', async () => {
    const errorsBefore = h.log.lines().filter((l) => Number(l.level) >= 50).length;
    for (const playlist of [
      'spotify:playlist:0000000000000000000000',
      'https://open.spotify.com/playlist/Zz9Zz9Zz9Zz9Zz9Zz9Zz9Z',
    ]) {
      const seen = await h.invoke('/sort', { playlist }, alice);
      expect(text(seen.final)).toContain('couldn’t find that playlist');
      expect(text(seen.final)).not.toContain('Something went wrong');
    }
    expect(h.log.lines().filter((l) => Number(l.level) >= 50).length).toBe(errorsBefore);
  });
});

describe('/sort mode:order', () => {
  const itemsOf = (id: string) =>
    h.spotify.world.playlists
      .get(id)!
      .items.map((i) => JSON.stringify(i))
      .sort();
  it('asks before resetting "date added", then reorders with every item kept', async () => {
    const before = itemsOf('roadtrip1000');
    const asked = (
      await h.invoke('/sort', { playlist: 'roadtrip1000', mode: 'order', order_by: 'release-date' }, alice)
    ).final!;
    expect(text(asked)).toContain('date added');
    expect(itemsOf('roadtrip1000')).toEqual(before); // nothing written yet
    const replace = buttons(asked).find((b) => b.custom_id?.startsWith('sort:order-replace:'))!;
    const done = await h.click(asked, replace.custom_id!, alice);
    expect(text(done.final)).toContain('Reordered');
    const after = h.spotify.world.playlists.get('roadtrip1000')!.items;
    expect(after.map((i) => (i.kind === 'track' ? i.id : '')).sort()).toEqual(
      before.map((i) => (JSON.parse(i) as { id: string }).id ?? '').sort(),
    );
  });

  it('keeping the dates moves tracks and leaves every "date added" as it was', async () => {
    const added = () =>
      new Map(
        h.spotify.world.playlists
          .get('bobmain')!
          .items.map((i) => [JSON.stringify({ ...i, addedAt: undefined }), i.addedAt]),
      );
    const bob = h.member('bob-order');
    expect((await h.link(bob, 'bob')).status).toBe(200);
    const before = added();
    const asked = (await h.invoke('/sort', { playlist: 'bobmain', mode: 'order', order_by: 'release-date' }, bob))
      .final!;
    const keep = buttons(asked).find((b) => b.custom_id?.startsWith('sort:order-keep:'))!;
    expect(text((await h.click(asked, keep.custom_id!, bob)).final)).toContain('keeping every');
    expect(added()).toEqual(before);
    expect(h.spotify.world.playlists.get('bobmain')!.items.map((i) => i.addedAt)).not.toEqual([...before.values()]);
  });
});
