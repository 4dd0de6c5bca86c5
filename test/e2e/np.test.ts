import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EUser } from '../../emulators/discord/index.js';
import { startLastfmEmulator, type LastfmEmulator } from '../../emulators/lastfm/server.js';
import { startListenBrainzEmulator, type ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import type { EmulatedPlay } from '../../emulators/spotify/index.js';
import { SCOPES } from '../../src/spotify/index.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { useEncoreHarness, type EncoreHarness } from '../support/encoreHarness.js';
import { followLinkPage } from '../support/linkPage.js';
import { manualTicks } from '../support/manualTicks.js';
import { buttons, contentAndEmbeds, linkUrl, text } from '../support/messages.js';

/**
 * /np through the real bot (issue 25): what a member plays now, or played last, on Spotify,
 * ListenBrainz or Last.fm, with their counts and the server's listeners; the one-time consent a
 * member linked before /np gets; the refresh button only its owner may press.
 */
const API_KEY = '0123456789abcdef0123456789abcdef';
const SECRET = 'fedcba9876543210fedcba9876543210';
const HOUR = 3_600_000;
// Every clock (the bot's, the emulators') runs from where the test puts it: the Spotify pacer spaces
// requests on it, so it must move.
let base = Date.parse('2026-12-02T06:00:00Z');
let setAt = performance.now();
const clock = () => Math.floor(base + performance.now() - setAt);
const travel = (to: number) => {
  base = to;
  setAt = performance.now();
};
let lb: ListenBrainzEmulator;
let lfm: LastfmEmulator;
const ticks = manualTicks();

beforeAll(async () => {
  lb = await startListenBrainzEmulator({
    users: [{ name: 'lena', years: 0.02, perDay: 10, seed: 21 }],
    now: clock,
    // The test jumps the clock: a window would straddle the jumps.
    rateLimit: { perIp: 100_000 },
  });
  lfm = await startLastfmEmulator({ apiKey: API_KEY, sharedSecret: SECRET, now: clock });
});
afterAll(async () => {
  await lb?.close();
  await lfm?.close();
});

const h: EncoreHarness = useEncoreHarness(() => ({
  clock,
  spotify: { now: clock },
  jobTicks: ticks.source,
  config: {
    LISTENBRAINZ_ENABLED: true,
    LISTENBRAINZ_API_URL: lb.url,
    LASTFM_API_KEY: API_KEY,
    LASTFM_SHARED_SECRET: SECRET,
    LASTFM_API_URL: lfm.apiUrl,
    LASTFM_AUTH_URL: lfm.authUrl,
  },
}));

/** Embeds without the isolation marks around names. */
const plain = (m?: Parameters<typeof text>[0]) => text(m).replace(/[\u2068\u2069]/g, '');
const np = (member: EUser) => h.invoke('/np', {}, member);
const refreshOf = (seen: Awaited<ReturnType<typeof np>>) =>
  buttons(seen.final!).find((b) => b.custom_id?.startsWith('np:refresh:'))!;
const thumbnailOf = (seen: Awaited<ReturnType<typeof np>>) =>
  (seen.final!.embeds[0] as { thumbnail?: { url?: string } } | undefined)?.thumbnail?.url;
const optIn = (member: EUser) =>
  h.encore.services.privacy!.save(member.id, { visibleIn: [h.guild.id], weeklyDm: false });

/** The first minute from `from` at which the emulated user is a while into a track, and that play. */
function playingAt(user: string, from: number): { at: number; play: EmulatedPlay } {
  for (let at = from; at < from + 14 * 24 * HOUR; at += 60_000) {
    const play = h.spotify.listening.playsBetween(user, at, at + HOUR)[0];
    // A minute and more to go: the test's own seconds do not reach its end.
    if (play && play.playedAt - play.msPlayed <= at - 5_000 && play.playedAt > at + 60_000) return { at, play };
  }
  throw new Error(`${user} never plays`);
}
/** The first minute from `from` at which the emulated user plays nothing, and their last play then. */
function silentAt(user: string, from: number): { at: number; last: EmulatedPlay } {
  for (let at = from; at < from + 14 * 24 * HOUR; at += 60_000) {
    const next = h.spotify.listening.playsBetween(user, at, at + HOUR)[0];
    const last = h.spotify.listening.recent(user, at, 1)[0];
    if ((!next || next.playedAt - next.msPlayed > at + 5 * 60_000) && last) return { at, last };
  }
  throw new Error(`${user} never rests`);
}
const trackOf = (play: EmulatedPlay) => {
  const track = h.spotify.world.tracks.get(play.trackId)!;
  return { ...track, artists: track.artistIds.map((id) => ({ id, name: h.spotify.world.artists.get(id)!.name })) };
};
/** `count` plays of the track in the member's history, a week before `at`. */
async function played(member: EUser, track: ReturnType<typeof trackOf>, count: number, at: number) {
  await createHistoryRepository(h.encore.store.pool).insertPlays(
    member.id,
    Array.from({ length: count }, (_, i) => ({
      playedAt: at - 7 * 24 * HOUR + i * 5 * 60_000,
      track: { id: track.id, name: track.name, durationMs: track.durationMs, artists: track.artists },
      msPlayed: track.durationMs,
      msEstimated: false,
      source: 'collected' as const,
      genre: 'pop',
    })),
  );
}

/** Runs the sources' sync until nothing is due. */
async function syncSources() {
  const count = async () =>
    Number((await h.encore.store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM plays`)).rows[0]!.n);
  for (let i = 0; i < 20; i++) {
    const before = await count();
    await h.encore.jobs.runNow('sync-sources', new Date(clock()));
    if ((await count()) === before) return;
  }
}

describe('/np without any connection', () => {
  it('tells the member, privately, to /link', async () => {
    const seen = await np(h.member('np-nobody'));
    expect(seen.ephemeral).toBe(true);
    expect(contentAndEmbeds(seen.final)).toContain('You haven’t connected any listening yet');
    expect(contentAndEmbeds(seen.final)).toContain('/link');
  });
});

describe('/np from Spotify', () => {
  let alice: EUser;
  let fan: EUser;
  beforeAll(async () => {
    alice = h.member('np-alice');
    fan = h.member('np-fan');
    expect((await h.link(alice, 'alice')).html).toContain('Linked as');
  });

  it('shows the track playing now, the member’s plays of it and its artist, and who here listens to the artist', async () => {
    const { at, play } = playingAt('alice', clock());
    travel(at);
    const track = trackOf(play);
    await played(alice, track, 3, at);
    await played(fan, track, 2, at);
    await optIn(alice);
    await optIn(fan);

    const seen = await np(alice);
    expect(seen.ephemeral).toBe(false);
    const shown = plain(seen.final);
    expect(shown).toContain('Now playing');
    expect(shown).toContain(JSON.stringify(track.name).slice(1, -1));
    expect(shown).toContain('▶️ Playing now');
    expect(shown).toContain(`**3 plays** of this track · **3 plays** of ${track.artists[0]!.name}`);
    expect(shown).toContain(`**2 members** listen to ${track.artists[0]!.name} · you’re **#1**`);
    expect(shown).toContain('via Spotify');
    expect(shown).toContain(`https://open.spotify.com/track/${track.id}`);
    // The album's 300 px cover of the three Spotify lists (640, 300, 64): a thumbnail's size.
    expect(thumbnailOf(seen)).toBe(`${h.spotify.accountsUrl}/image/${track.albumId}/300`);
    expect(refreshOf(seen).label).toBe('Refresh');
  });

  it('shows the last play, labelled so, when nothing is playing; its owner’s refresh brings the new track', async () => {
    const { at, last } = silentAt('alice', clock() + HOUR);
    travel(at);
    const seen = await np(alice);
    const shown = plain(seen.final);
    expect(shown).toContain('Last played');
    expect(shown).toContain(JSON.stringify(trackOf(last).name).slice(1, -1));
    expect(shown).toContain(`<t:${Math.ceil(last.playedAt / 1000)}:R>`);
    expect(shown).not.toContain('Playing now');
    // Spotify said so the way it does: 204, no body.
    const asked = h.spotify.requests.filter((r) => r.path === '/me/player/currently-playing');
    expect(asked.at(-1)?.status).toBe(204);

    const next = playingAt('alice', clock());
    travel(next.at);
    await h.click(seen.final!, refreshOf(seen).custom_id!, alice);
    const refreshed = plain(h.emulator.state.messages.get(seen.final!.id));
    expect(refreshed).toContain('▶️ Playing now');
    expect(refreshed).toContain(JSON.stringify(trackOf(next.play).name).slice(1, -1));
  });

  it('refuses the refresh button to anyone but its owner, privately, and leaves the message as it was', async () => {
    const seen = await np(alice);
    const before = plain(seen.final);
    const other = await h.click(seen.final!, refreshOf(seen).custom_id!, fan);
    expect(other.ephemeral).toBe(true);
    expect(contentAndEmbeds(other.followUps[0] ?? other.final)).toContain(`Only <@${alice.id}> can refresh this.`);
    expect(plain(h.emulator.state.messages.get(seen.final!.id))).toBe(before);
  });

  it('gets a one-time consent, not an error, when Spotify refuses for a missing permission the stored grant claims', async () => {
    h.spotify.addFault({
      path: '/me/player/currently-playing',
      status: 401,
      body: { error: { status: 401, message: 'Permissions missing' } },
      times: 1,
    });
    const seen = await np(alice);
    expect(seen.ephemeral).toBe(true);
    expect(contentAndEmbeds(seen.final)).toContain('One more permission for /np');
  });
});

describe('/np for a member linked before /np asked Spotify for the current track', () => {
  it('offers a one-click consent privately, and once approved shows what they play', async () => {
    const bob = h.member('np-bob');
    // Linked with the scopes Encore asked for before: everything but user-read-currently-playing.
    await h.invoke('/link', {}, bob);
    const { authorizeUrl } = await followLinkPage(linkUrl(h.dmsOf(bob).at(-1)!));
    const old = new URL(authorizeUrl!);
    old.searchParams.set('scope', SCOPES.filter((s) => s !== 'user-read-currently-playing').join(' '));
    await fetch(await h.spotify.consent({ authorizeUrl: old.toString(), userId: 'bob' }));
    const asked = () => h.spotify.requests.filter((r) => r.path === '/me/player/currently-playing').length;
    const before = asked();

    const seen = await np(bob);
    expect(seen.ephemeral).toBe(true);
    expect(contentAndEmbeds(seen.final)).toContain('One more permission for /np');
    expect(contentAndEmbeds(seen.final)).not.toContain('went wrong');
    // Known from the stored grant: Spotify was not asked.
    expect(asked()).toBe(before);
    const consent = buttons(seen.final!).find((b) => b.url)!;
    expect(consent.label).toBe('Allow on Spotify');

    const { authorizeUrl: again } = await followLinkPage(consent.url!);
    expect(new URL(again!).searchParams.get('scope')!.split(' ')).toContain('user-read-currently-playing');
    const page = await fetch(await h.spotify.consent({ authorizeUrl: again!, userId: 'bob' }));
    expect(await page.text()).toContain('Linked as');

    const { at } = playingAt('bob', clock());
    travel(at);
    const after = await np(bob);
    expect(after.ephemeral).toBe(false);
    expect(plain(after.final)).toContain('▶️ Playing now');
    expect(plain(after.final)).toContain('via Spotify');
  });
});

describe('/np from ListenBrainz', () => {
  let lena: EUser;
  beforeAll(async () => {
    lena = h.member('np-lena');
    const prompt = await h.invoke('/link', { source: 'listenbrainz' }, lena);
    await h.click(prompt.final!, 'link:lb-token', lena);
    const done = await h.submitModal({ token: lb.user('lena').token }, lena);
    expect(text(done.final)).toContain('Connected ListenBrainz as lena');
    await syncSources();
  });

  it('shows the last listen when nothing is playing now, with the plays from the synced history', async () => {
    const newest = lb.user('lena').history.all()[0]!;
    const seen = await np(lena);
    expect(seen.ephemeral).toBe(false);
    const shown = plain(seen.final);
    expect(shown).toContain('Last played');
    expect(shown).toContain(JSON.stringify(newest.track.name).slice(1, -1));
    expect(shown).toContain('via ListenBrainz');
    expect(shown).toMatch(/\*\*[1-9][\d,]* plays?\*\* of this track/);
  });

  it('shows what ListenBrainz says is playing now', async () => {
    lb.user('lena').setPlayingNow(7);
    const seen = await np(lena);
    const shown = plain(seen.final);
    expect(shown).toContain('▶️ Playing now');
    expect(shown).toContain(JSON.stringify(lb.catalogue[7]!.name).slice(1, -1));
    expect(shown).toContain('via ListenBrainz');
    lb.user('lena').setPlayingNow(undefined);
  });
});

describe('/np from Last.fm', () => {
  let june: EUser;
  beforeAll(async () => {
    june = h.member('np-june');
    const seen = await h.invoke('/link', { source: 'lastfm' }, june);
    const url = buttons(seen.final!).find((b) => b.url)!.url!;
    const approval = await fetch(`${url}&as=june`, { redirect: 'manual' });
    expect(await (await fetch(approval.headers.get('location')!)).text()).toContain('Connected Last.fm as june');
    await syncSources();
  });

  it('shows the last scrobble when nothing is playing now (a track Last.fm has no cover for)', async () => {
    const last = lfm.history('june').at(0);
    const seen = await np(june);
    const shown = plain(seen.final);
    expect(shown).toContain('Last played');
    expect(shown).toContain(JSON.stringify(last.track.name).slice(1, -1));
    expect(shown).toContain('**1 play** of this track');
    expect(shown).toContain('via Last.fm');
    // Last.fm has no cover for this one: no thumbnail at all, never a broken one.
    expect(thumbnailOf(seen)).toBeUndefined();
  });

  it('shows the track Last.fm flags as now playing, with its cover', async () => {
    lfm.control.setNowPlaying('june', 11);
    const seen = await np(june);
    const shown = plain(seen.final);
    expect(shown).toContain('▶️ Playing now');
    expect(shown).toContain(JSON.stringify(lfm.catalogue[11]!.name).slice(1, -1));
    expect(lfm.catalogue[11]!.imageHash).not.toBe('');
    expect(thumbnailOf(seen)).toBe(`https://lastfm.freetls.fastly.net/i/u/300x300/${lfm.catalogue[11]!.imageHash}.jpg`);
    expect(shown).toContain('via Last.fm');
    lfm.control.setNowPlaying('june', undefined);
  });
});

describe('the Spotify emulator’s currently-playing', () => {
  it('answers 401 “Permissions missing” to a token without the scope', async () => {
    const get = (token: string) =>
      fetch(`${h.spotify.apiUrl}/me/player/currently-playing`, { headers: { authorization: `Bearer ${token}` } });
    const without = await get(h.spotify.issueTokens('carol').accessToken);
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual({ error: { status: 401, message: 'Permissions missing' } });
  });
});
