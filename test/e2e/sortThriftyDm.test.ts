import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { startMusicBrainzEmulator, type MusicBrainzEmulator } from '../../emulators/musicbrainz/server.js';
import { createRequestSpacer } from '../../src/musicbrainz/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, text } from '../support/messages.js';
import { createGenreChoiceRepository } from '../../src/store/genreChoices.js';

/** MusicBrainz's clock: the spacer's one-second waits move it instead of being sat out. */
let mbTime = Date.parse('2026-11-30T12:00:00Z');
const mbNow = () => mbTime;
const mbSleep = async (ms: number) => void (mbTime += ms);
/** Discord's clock runs behind by this much: a token created now looks 20 minutes old (expired). */
let discordLag = 0;

let mb: MusicBrainzEmulator;
beforeAll(async () => {
  mb = await startMusicBrainzEmulator({ now: mbNow });
});
afterAll(() => mb?.close());
const h = useEncoreHarness(() => ({
  config: { MUSICBRAINZ_URL: mb.url },
  musicbrainzSpacer: createRequestSpacer(1_000, mbNow, mbSleep),
  discordNow: () => Date.now() - discordLag,
}));

describe('a thrifty /sort whose message can no longer be edited', () => {
  let alice: EUser;
  beforeAll(async () => {
    alice = h.member('thrifty-dm');
    expect((await h.link(alice, 'alice')).status).toBe(200);
  }, 60_000);

  it('sends the preview by DM, with its chart and a working Confirm, once the interaction token has expired', async () => {
    discordLag = 20 * 60_000;
    const asked = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    const thrifty = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-thrifty:'))!;
    const dmsBefore = h.dmsOf(alice).length;
    const started = await h.click(asked.final!, thrifty.custom_id!, alice);
    discordLag = 0;
    expect(text(started.final)).toContain('Finding genres on MusicBrainz');
    await vi.waitFor(() => expect(h.dmsOf(alice).length).toBe(dmsBefore + 1), { timeout: 60_000, interval: 50 });
    const dm = h.dmsOf(alice).at(-1)!;
    expect(dm.content).toContain('thrifty sort of **Road trip** is ready');
    expect(text(dm)).toContain('by genre?');
    expect(dm.files[0]!.filename).toBe('sort-preview.png');
    // The expired message stays as it was.
    expect(text(started.interaction.original)).toContain('Finding genres on MusicBrainz');
    const confirm = buttons(dm).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    const done = await h.click(dm, confirm.custom_id!, alice);
    expect(text(done.final)).toMatch(/Done: \d+ playlists? created/);
  }, 120_000);

  it('a thrifty preview a restart left behind is picked up by the resume job', async () => {
    const asked = await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 5 }, alice);
    const thrifty = buttons(asked.final!).find((b) => b.custom_id!.startsWith('sort:genres-thrifty:'))!;
    const choiceId = thrifty.custom_id!.split(':')[2]!;
    const choices = createGenreChoiceRepository(h.encore.store);
    // As a process that died right after the member chose thrifty leaves it: chosen, no preview yet.
    await choices.save({ ...(await choices.get(choiceId))!, status: 'thrifty' });
    const dmsBefore = h.dmsOf(alice).length;
    await h.encore.jobs.runNow('resume-thrifty-sorts');
    await vi.waitFor(() => expect(h.dmsOf(alice).length).toBe(dmsBefore + 1), { timeout: 60_000, interval: 50 });
    expect(text(h.dmsOf(alice).at(-1))).toContain('by genre?');
    expect((await choices.get(choiceId))!.status).toBe('done');
    // Run again, the job finds nothing left to do.
    await h.encore.jobs.runNow('resume-thrifty-sorts');
    expect(await choices.listThrifty()).toEqual([]);
  }, 120_000);
});
