import { Events } from 'discord.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { buttons, contentAndEmbeds as text } from '../support/messages.js';
import { sortWorld } from '../support/sortWorld.js';
import { waitUntil as waitFor } from '../support/waitUntil.js';

/**
 * The Discord gateway drops (a network blip). discord.js must RESUME the session, not IDENTIFY
 * afresh; what Discord sent while the bot was away is not redelivered (an interaction then shows
 * "The application did not respond" to the member: Discord never replays it); replies and posts go
 * over REST, so work under way finishes once and nothing is posted twice.
 */
const h = useEncoreHarness();
// A 1,000-track sort across reconnects, on a machine shared with other suites.
vi.setConfig({ testTimeout: 60_000 });
let alice: EUser;
const events: string[] = [];
beforeAll(async () => {
  alice = h.member('alice-gateway');
  expect((await h.link(alice, 'alice')).status).toBe(200);
  const client = h.discord.client;
  client.on(Events.ShardResume, () => events.push('resume'));
  client.on(Events.ShardReady, () => events.push('ready'));
  client.on(Events.ShardDisconnect, () => events.push('disconnect'));
}, 60_000);

const { trackUris, createdFrom, deleteCreated } = sortWorld(() => h.spotify, 'alice');
const waitUntil = (condition: () => boolean, what: string) => waitFor(condition, what, 10_000);
/** Drops the connection and waits until discord.js is back on the gateway. */
async function blip() {
  const resumes = events.filter((e) => e === 'resume').length;
  h.emulator.dropConnections();
  await waitUntil(() => events.filter((e) => e === 'resume').length > resumes, 'the session resumed');
  await waitUntil(() => h.emulator.connectedSessions() === 1, 'one session on the gateway');
}

describe('the Discord gateway drops', () => {
  it('discord.js resumes the session (RESUMED, not a fresh READY) and the next command is answered', async () => {
    const before = [...events];
    await blip();
    expect(events.slice(before.length).filter((e) => e === 'ready')).toEqual([]);
    expect(events.slice(before.length)).toContain('resume');
    const seen = await h.invoke('/help', {}, alice);
    expect(seen.final ?? seen.history.at(-1)).toBeDefined();
    expect(seen.rejected).toEqual([]);
  });

  it('an interaction Discord sent while the connection was down is not handled late: never acknowledged, so the member saw "did not respond"', async () => {
    h.emulator.dropConnections();
    // Sent in the same instant: the socket is already closing, so Discord's dispatch never reaches the bot.
    const lost = h.emulator.chatInput('help', {}, alice, { guild: h.guild });
    const resumes = events.filter((e) => e === 'resume').length;
    await waitUntil(() => events.filter((e) => e === 'resume').length > resumes, 'the session resumed');
    // Dispatches arrive in order: once a later command is fully handled, the lost one would have been too.
    const after = await h.invoke('/help', {}, alice);
    expect(after.rejected).toEqual([]);
    expect(lost.acknowledged).toBe(false);
    expect(lost.followUps).toEqual([]);
    expect(h.emulator.state.rejected.filter((r) => r.interactionId === lost.id)).toEqual([]);
  });

  it('a command under way when the connection drops still finishes once: its reply goes over REST', async () => {
    deleteCreated('Road trip');
    let release!: () => void;
    h.spotify.addFault({
      method: 'GET',
      path: /^\/playlists\/[^/]+\/items$/,
      gate: new Promise<void>((r) => (release = r)),
      times: 1,
    });
    const pending = h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice);
    await waitUntil(() => h.spotify.requests.some((r) => r.status === 0 && /items$/.test(r.path)), 'the read is held');
    try {
      await blip();
    } finally {
      release();
      h.spotify.control.faults.length = 0;
    }
    const seen = await pending;
    expect(text(seen.final)).toContain('Split “Road trip” by genre?');
    expect(seen.followUps).toEqual([]);
    expect(seen.rejected).toEqual([]);
  });

  it('a sort running across a drop writes each track once, answers once, and sends no DM twice', async () => {
    deleteCreated('Road trip');
    const preview = (await h.invoke('/sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice)).final!;
    const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;
    expect(confirm, text(preview)).toBeDefined();
    const dms = h.dmsOf(alice).length;
    let release!: () => void;
    h.spotify.addFault({
      method: 'POST',
      path: /^\/playlists\/[^/]+\/items$/,
      gate: new Promise<void>((r) => (release = r)),
    });
    let done;
    try {
      const clicked = h.click(preview, confirm.custom_id!, alice);
      await waitUntil(() => createdFrom('Road trip').length >= 1, 'the sort is writing');
      await blip();
      await blip();
      release();
      done = await clicked;
    } finally {
      release();
      h.spotify.control.faults.length = 0;
    }
    expect(text(done.final)).toContain('Done: ');
    expect(done.followUps).toEqual([]);
    // The every-minute resume job after the drops finds nothing to do.
    await h.encore.jobs.runNow('resume-sorts', new Date(Date.now() + 61_000));
    const placed = createdFrom('Road trip').flatMap((p) =>
      p.items.map((i) => `spotify:track:${(i as { id: string }).id}`),
    );
    expect(placed.length).toBe(new Set(placed).size);
    expect(placed.sort()).toEqual(trackUris('roadtrip1000').sort());
    expect(h.dmsOf(alice).slice(dms)).toEqual([]);
    // discord.js never had to log in afresh: every drop was a RESUME.
    expect(events.filter((e) => e === 'ready').length).toBeLessThanOrEqual(1);
  });
});
