import { beforeAll, describe, expect, it } from 'vitest';
import type { EUser, RecordedMessage } from '../../emulators/discord/index.js';
import type { SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { NewPlay } from '../../src/app/history/ports.js';
import { rollupGenre } from '../../src/core/history/rollup.js';
import { MIN_SIMILARITY } from '../../src/core/suggest/taste.js';
import { compatibility } from '../../src/core/taste/compat.js';
import { decodeComponentId, encodeComponentId } from '../../src/discord/customId.js';
import type { FeatureContext } from '../../src/features/index.js';
import { createAccounts } from '../../src/features/linking/accounts.js';
import { suggestFeature } from '../../src/features/suggest/index.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { ARTIST_GENRES_NAMESPACE } from '../../src/spotify/genreCache.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createSuggestHistory } from '../../src/store/suggest/suggestRepository.js';
import { useEncoreHarness } from '../support/encoreHarness.js';
import { manualTicks } from '../support/manualTicks.js';
import { buttons, contentAndEmbeds, layoutTexts, text } from '../support/messages.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30); // a Monday, midnight UTC
/**
 * The bot's and the emulators' clock: set to the moment a scenario plays, then running (the Spotify
 * pacer waits for time to pass). Scenarios play in time order: the pacer must never see it go back.
 */
let base = NOW;
let baseAt = Date.now();
const now = () => base + (Date.now() - baseAt);
const setNow = (at: number) => {
  base = at;
  baseAt = Date.now();
};
// Clusters are dealt round robin over the emulator's users: alice, carol, erin, listener1, listener3
// share one taste; bob, dave, listener2 another.
const PEERS = ['carol', 'erin', 'listener1', 'bob'] as const;
const h = useEncoreHarness(() => ({
  spotify: {
    now,
    listeners: 3,
    clusters: 2,
    newReleases: 600,
    // An hour a day is plenty of taste, and keeps storing a month of it quick.
    listening: Object.fromEntries(['alice', 'dave', ...PEERS].map((id) => [id, { hoursPerDay: 1 }])),
  },
  clock: now,
  discordNow: now,
}));
const spotify = (): SpotifyEmulator => h.spotify;

let alice: EUser;
let dave: EUser;
const peers = new Map<string, EUser>();

/** Stores what `spotifyUser` played in (from, to] as the Discord member's history, as the collector would. */
async function storeListening(member: EUser, spotifyUser: string, from: number, to: number) {
  const { world, listening } = spotify();
  const plays: NewPlay[] = listening.playsBetween(spotifyUser, from, to).map((p) => {
    const t = world.tracks.get(p.trackId)!;
    const album = world.albums.get(t.albumId)!;
    const artists = t.artistIds.map((id) => world.artists.get(id)!);
    return {
      playedAt: p.playedAt,
      track: {
        id: t.id,
        name: t.name,
        durationMs: t.durationMs,
        isrc: t.isrc,
        album: { id: album.id, name: album.name, releaseDate: album.releaseDate },
        artists: artists.map((a) => ({ id: a.id, name: a.name })),
      },
      msPlayed: p.msPlayed,
      msEstimated: false,
      source: 'collected',
      contextUri: p.contextUri,
      genre: rollupGenre(artists.map((a) => a.genres)),
    };
  });
  const history = createHistoryRepository(h.encore.store.pool);
  for (let i = 0; i < plays.length; i += 2_000) await history.insertPlays(member.id, plays.slice(i, i + 2_000));
  // The background resolver's work: the artists' genres in the shared cache.
  const genres = h.encore.store.namespace<string[]>(ARTIST_GENRES_NAMESPACE);
  const artistIds = new Set(plays.flatMap((p) => p.track.artists.map((a) => a.id)));
  await genres.setMany([...artistIds].map((id) => ({ key: id, value: world.artists.get(id)!.genres })));
}

const playlistsOf = (owner: string) => [...spotify().world.playlists.values()].filter((p) => p.ownerId === owner);
const itemsOf = (playlistId: string) =>
  spotify()
    .world.playlists.get(playlistId)!
    .items.map((i) => (i.kind === 'track' ? `spotify:track:${i.id}` : ''));
/** The suggestion lines of an answer: "**1. [name](…)** — artist" then "↳ why". */
const suggestionLines = (m?: RecordedMessage) =>
  (m?.embeds.length ? ((m.embeds[0] as { description?: string }).description ?? '') : layoutTexts(m).join('\n')).split(
    '\n',
  );
const componentIds = (m: RecordedMessage) =>
  (
    m.components as Array<{
      components: Array<{ custom_id?: string; options?: Array<{ value: string; label: string }> }>;
    }>
  ).flatMap((row) => row.components);

/**
 * What a second instance builds the feature from: the same database, Discord and Spotify, with
 * accounts of its own over them (as another process would have).
 */
function anotherInstance(): FeatureContext {
  const { store, gateway } = h.encore;
  const accounts = createAccounts({
    store,
    gateway,
    encryptionKeys: [h.config.ENCRYPTION_KEY],
    publicUrl: h.config.PUBLIC_URL,
    userCap: h.config.SPOTIFY_USER_CAP,
  });
  return {
    config: h.config,
    store,
    gateway,
    log: h.log.log,
    discord: {
      client: () => h.encore.discord.client,
      ownsGuild: () => true,
      guildName: (id: string) => h.encore.discord.client.guilds.cache.get(id)?.name,
    },
    services: h.encore.services,
    accounts,
    instanceId: 'another instance',
  } as unknown as FeatureContext;
}

/** Every row of every table that mentions `needle`, as text. */
async function rowsMentioning(needle: string): Promise<string[]> {
  const pool = h.encore.store.pool;
  const tables = await pool.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await pool.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${name} t WHERE strpos(to_jsonb(t)::text, $1) > 0`,
      [needle],
    );
    found.push(...rows.map((r) => `${name}: ${r.row.slice(0, 160)}`));
  }
  return found;
}

async function suggest(as: EUser, options: Record<string, unknown> = {}) {
  const seen = await h.invoke('/suggest', options, as);
  expect(seen.ephemeral).toBe(true);
  return seen.final!;
}

beforeAll(async () => {
  alice = h.member('Alice A.');
  dave = h.member('Dave D.');
  expect((await h.link(alice, 'alice')).status).toBe(200);
  expect((await h.link(dave, 'dave')).status).toBe(200);
  await storeListening(alice, 'alice', NOW - 35 * DAY, NOW);
  await storeListening(dave, 'dave', NOW - 35 * DAY, NOW);
  const privacy = h.encore.services.privacy!;
  for (const name of PEERS) {
    const member = h.member(name);
    peers.set(name, member);
    await storeListening(member, name, NOW - 35 * DAY, NOW);
    await privacy.save(member.id, { visibleIn: [h.guild.id], weeklyDm: false });
  }
  await privacy.save(alice.id, { visibleIn: [h.guild.id], weeklyDm: false });
}, 240_000);

describe('/suggest', () => {
  it('answers only to the member, each suggestion with why in words, and nothing in their history', async () => {
    const answer = await suggest(alice);
    const lines = suggestionLines(answer);
    const titles = lines.filter((l) => /^\*\*\d+\. /.test(l));
    const reasons = lines.filter((l) => l.startsWith('↳ '));
    expect(titles.length).toBeGreaterThanOrEqual(5);
    expect(reasons).toHaveLength(titles.length);
    for (const reason of reasons)
      expect(reason).toMatch(
        /played it .+ this month|^↳ new from .+, your #\d+ artist|^↳ a deeper cut from .+, your #\d+ artist|^↳ top in .+, a genre you played/,
      );
    // Listeners like her are named by their display name, never pinged.
    const server = reasons.filter((r) => r.includes('like yours'));
    expect(server.length).toBeGreaterThan(0);
    expect(server.join()).toMatch(/carol|erin|listener1/);
    expect(contentAndEmbeds(answer)).not.toMatch(/<@!?\d+>/);
    // No request counts when the budget is fine.
    expect(contentAndEmbeds(answer)).not.toMatch(/request/i);
    const played = new Set(
      spotify()
        .listening.playsBetween('alice', NOW - 35 * DAY, NOW)
        .map((p) => p.trackId),
    );
    const suggested = titles.map((t) => /open\.spotify\.com\/track\/(\w+)/.exec(t)![1]!);
    expect(suggested.filter((id) => played.has(id))).toEqual([]);
  });

  it('Save creates exactly one private playlist with the tracks, however many times it is clicked', async () => {
    const answer = await suggest(alice, { count: 6 });
    const save = buttons(answer).find((b) => b.custom_id?.startsWith('suggest:save:'))!;
    const before = playlistsOf('alice').length;
    const requestsBefore = spotify().requests.length;
    // A double click: both arrive at once, then a third click later.
    await Promise.all([h.click(answer, save.custom_id!, alice), h.click(answer, save.custom_id!, alice)]);
    const afterSave = spotify().requests.slice(requestsBefore);
    const again = await h.click(answer, save.custom_id!, alice);
    // Saving costs two Spotify requests (create, fill); the later click costs none.
    expect(afterSave.map((r) => `${r.method} ${r.path.replace(/\/playlists\/\w+/, '/playlists/{id}')}`)).toEqual([
      'POST /me/playlists',
      'PUT /playlists/{id}/items',
    ]);
    expect(spotify().requests.length).toBe(requestsBefore + 2);
    const created = playlistsOf('alice').slice(before);
    expect(created).toHaveLength(1);
    expect(created[0]!.public).toBe(false);
    const tracks = suggestionLines(answer)
      .filter((l) => /^\*\*\d+\. /.test(l))
      .map((t) => `spotify:track:${/open\.spotify\.com\/track\/(\w+)/.exec(t)![1]!}`);
    expect(itemsOf(created[0]!.id)).toEqual(tracks);
    expect(contentAndEmbeds(again.final)).toContain(`open.spotify.com/playlist/${created[0]!.id}`);
  });

  it('someone else pressing the buttons is told they are not theirs, and nothing is saved', async () => {
    const answer = await suggest(alice, { count: 3 });
    const save = buttons(answer).find((b) => b.custom_id?.startsWith('suggest:save:'))!;
    const before = playlistsOf('alice').length;
    const seen = await h.click(answer, save.custom_id!, dave);
    expect(contentAndEmbeds(seen.final ?? seen.followUps[0])).toContain('someone else');
    expect(playlistsOf('alice')).toHaveLength(before);
  });

  it('👎 on a suggestion strikes it and its artist never comes back in later answers', async () => {
    const answer = await suggest(dave);
    const menu = componentIds(answer).find((c) => c.custom_id?.startsWith('suggest:dismiss:'))!;
    const first = menu.options![0]!;
    const artist = first.label.replace(/ \(1\. .*\)$/, '');
    const seen = await h.click(answer, menu.custom_id!, dave, [first.value]);
    expect(text(seen.final)).toContain('not suggested again');
    for (let i = 0; i < 2; i++) {
      const later = await suggest(dave);
      const lines = suggestionLines(later).filter((l) => /^\*\*\d+\. /.test(l));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.split(' — ')[1]?.split(', ').includes(artist))).toEqual([]);
    }
  });

  it('👍 marks the suggestion and strengthens the source that produced it', async () => {
    const answer = await suggest(alice);
    const menu = componentIds(answer).find((c) => c.custom_id?.startsWith('suggest:like:'))!;
    const before = await h.encore.services.suggestions!.answers.service.feedback.sourceWeights(alice.id);
    const seen = await h.click(answer, menu.custom_id!, alice, ['0']);
    expect(suggestionLines(seen.final).find((l) => l.startsWith('**1. '))).toContain('👍');
    const after = await h.encore.services.suggestions!.answers.service.feedback.sourceWeights(alice.id);
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]);
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]).toBeGreaterThan(before[changed[0]!]);
  });
});

/** The server reasons of an answer: who it names (display names), the taste percentage it shows. */
const serverReasons = (m?: RecordedMessage) =>
  suggestionLines(m)
    .filter((l) => l.startsWith('↳ ') && l.includes('played it'))
    .map((line) => {
      const named = /^↳ (.+) \(taste (\d+) % like yours\)/.exec(line);
      return { line, names: named ? named[1]!.split(/, | and /) : [], percent: named ? Number(named[2]) : undefined };
    });

describe('/suggest, what a reason says about others', () => {
  it('shows how alike a named listener’s taste is as the scorer computes it: a percentage out of 100', async () => {
    const asked = now();
    const answer = await suggest(alice);
    const reasons = serverReasons(answer).filter((r) => r.percent !== undefined);
    expect(reasons.length).toBeGreaterThan(0);
    // The engine's window for "listeners like you" (90 days up to the request), read as it reads it.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const history = createSuggestHistory(h.encore.store.pool);
    const ids = new Map([...peers].map(([name, member]) => [name, member.id]));
    const tastes = await history.tastes([alice.id, ...ids.values()], day(asked - 1 - 89 * DAY), day(asked - 1), 50);
    for (const { names, percent } of reasons) {
      // The first name is the closest listener, whose compatibility the reason shows.
      const closest = ids.get(names[0]!)!;
      const score = compatibility(tastes.get(alice.id)!, tastes.get(closest)!).score;
      expect(percent).toBe(score);
      expect(percent).toBeGreaterThanOrEqual(MIN_SIMILARITY);
      expect(percent).toBeLessThanOrEqual(100);
    }
  });

  it('an answer redrawn later no longer names a member who has since opted out, or left the server', async () => {
    const answer = await suggest(alice);
    const named = [...new Set(serverReasons(answer).flatMap((r) => r.names))];
    expect(named.length).toBeGreaterThanOrEqual(2);
    const [optedOut, leaving] = named.map((name) => peers.get(name)!);

    // The first hides themself in this server, with /privacy's button.
    const panel = await h.invoke('/privacy', {}, optedOut);
    const hide = buttons(panel.final!).find((b) => b.label === 'Hide me in this server')!;
    expect(text((await h.click(panel.final!, hide.custom_id!, optedOut)).final)).toContain('🚫 you don’t appear');
    const like = (m: RecordedMessage) => componentIds(m).find((c) => c.custom_id?.startsWith('suggest:like:'))!;
    const liked = await h.click(answer, like(answer).custom_id!, alice, [like(answer).options![0]!.value]);
    const afterOptOut = serverReasons(liked.final);
    expect(afterOptOut.length).toBe(serverReasons(answer).length);
    expect(afterOptOut.flatMap((r) => r.names)).not.toContain(optedOut!.username);
    expect(afterOptOut.flatMap((r) => r.names)).toContain(leaving!.username);
    // A reason that named only them says who in general words, without their plays.
    const onlyThem = serverReasons(answer).findIndex((r) => r.names.join() === optedOut!.username);
    if (onlyThem >= 0)
      expect(afterOptOut[onlyThem]!.line).toBe('↳ listeners with taste like yours here played it this month');

    // The second leaves the server; an hour later (past what Encore remembers of who is a member) alice clicks again.
    h.emulator.removeMember(h.guild, leaving!);
    setNow(NOW + 65 * 60_000);
    const again = await h.click(liked.final!, like(liked.final!).custom_id!, alice, [
      like(liked.final!).options![0]!.value,
    ]);
    const afterLeaving = serverReasons(again.final).flatMap((r) => r.names);
    expect(afterLeaving).not.toContain(optedOut!.username);
    expect(afterLeaving).not.toContain(leaving!.username);
    expect(contentAndEmbeds(again.final)).not.toMatch(new RegExp(`\\b(${optedOut!.username}|${leaving!.username})\\b`));

    // The one who opted out may come back; the one who left stays out of the later scenarios.
    await h.encore.services.privacy!.save(optedOut!.id, { visibleIn: [h.guild.id], weeklyDm: false });
  });
});

describe('/suggest buttons pressed by someone else', () => {
  it('a forged Save on another member’s answer shows nothing of it, even while that answer is being saved', async () => {
    const alices = await suggest(alice, { count: 3 });
    const save = buttons(alices).find((b) => b.custom_id?.startsWith('suggest:save:'))!;
    const answerId = decodeComponentId(save.custom_id!)!.fields[0]!;
    const titles = suggestionLines(alices)
      .filter((l) => /^\*\*\d+\. /.test(l))
      .map((t) => /open\.spotify\.com\/track\/(\w+)/.exec(t)![1]!);
    expect(titles.length).toBeGreaterThan(0);
    const daves = await suggest(dave, { count: 3 });
    const before = playlistsOf('alice').length;
    // Alice's own click is saving it: it holds the answer's save lease.
    const leases = h.encore.store.leases;
    expect(await leases.acquire('suggest-save', answerId, 'alices-click', 120_000, now())).toBe(true);
    try {
      // Dave's client sends alice's answer id with his own id as the owner.
      const forged = await h.click(daves, encodeComponentId('suggest', 'save', answerId, dave.id), dave);
      const seen = [forged.final, ...forged.followUps].map(contentAndEmbeds).join();
      expect(seen).toContain('expired');
      for (const id of titles) expect(seen).not.toContain(id);
      expect(seen).not.toContain('saving this list already');
    } finally {
      await leases.release('suggest-save', answerId, 'alices-click');
    }
    expect(playlistsOf('alice')).toHaveLength(before);
  });
});

describe('Sounds of <server>', () => {
  it('an admin turns it on in their own Spotify; the first of the month refreshes it in place and announces it in the digest channel once', async () => {
    setNow(NOW + 2 * 3_600_000);
    const channel = h.emulator.channel(h.guild, 'digest');
    await h.encore.services.digest!.settings.save({
      guildId: h.guild.id,
      enabled: false,
      channelId: channel.id,
      weekday: 1,
      hour: 9,
      timeZone: 'UTC',
      enabledAt: now(),
    });
    const on = await h.invoke('/digest', { subcommand: 'playlist', on: true }, alice);
    expect(text(on.final)).toContain('Sounds of Encore test server');
    const created = playlistsOf('alice').filter((p) => p.name === 'Sounds of Encore test server');
    expect(created).toHaveLength(1);
    const playlistId = created[0]!.id;
    expect(itemsOf(playlistId).length).toBeGreaterThan(0);

    const firstOfMonth = Date.UTC(2026, 11, 1, 0, 23);
    setNow(firstOfMonth);
    const posted = () => h.emulator.messagesIn(channel).filter((m) => text(m).includes('Sounds of'));
    const context = anotherInstance();
    const ticks = manualTicks();
    const schedulers = [suggestFeature(context), suggestFeature(context)].map((instance) =>
      startJobs([...instance.jobs!], undefined, { log: h.log.log, ticks: ticks.source }),
    );
    expect(await ticks.tick('refresh-server-playlists', new Date(firstOfMonth))).toBe(2);
    await ticks.tick('refresh-server-playlists', new Date(firstOfMonth + 3_600_000));
    await Promise.all(schedulers.map((s) => s.stop()));
    await h.encore.jobs.runNow('refresh-server-playlists', new Date(firstOfMonth + 2 * 3_600_000));

    expect(posted()).toHaveLength(1);
    expect(text(posted()[0])).toContain('November 2026');
    expect(buttons(posted()[0]!).some((b) => b.url?.includes(playlistId))).toBe(true);
    expect(playlistsOf('alice').filter((p) => p.name === 'Sounds of Encore test server')).toHaveLength(1);
    // November's most played tracks of the members who share their listening here (dave does not).
    const novemberTop = itemsOf(playlistId);
    expect(novemberTop.length).toBeGreaterThan(0);
    const daveOnly = new Set(
      spotify()
        .listening.playsBetween('dave', NOW - 35 * DAY, NOW)
        .map((p) => `spotify:track:${p.trackId}`),
    );
    const visible = new Set(
      ['alice', ...PEERS].flatMap((u) =>
        spotify()
          .listening.playsBetween(u, NOW - 35 * DAY, NOW)
          .map((p) => `spotify:track:${p.trackId}`),
      ),
    );
    expect(novemberTop.filter((uri) => daveOnly.has(uri) && !visible.has(uri))).toEqual([]);
  });
});

describe('without Spotify', () => {
  it('a member who never linked is told to /link (for /suggest, the radar and the server playlist) and nothing is stored', async () => {
    const carol = peers.get('carol')!;
    const asked = await h.invoke('/suggest', {}, carol);
    expect(contentAndEmbeds(asked.final)).toContain('/link');
    const radar = await h.invoke('/suggest', { radar: 'on' }, carol);
    expect(contentAndEmbeds(radar.final)).toContain('/link');
    // The server playlist: alice's is on, so carol is told whose it is; once alice turns it off, to /link.
    const taken = await h.invoke('/digest', { subcommand: 'playlist', on: true }, carol);
    expect(contentAndEmbeds(taken.final)).toContain('already on, in the Spotify account of');
    const off = await h.invoke('/digest', { subcommand: 'playlist', on: false }, alice);
    expect(text(off.final)).toContain('The server playlist is off');
    const sounds = await h.invoke('/digest', { subcommand: 'playlist', on: true }, carol);
    expect(contentAndEmbeds(sounds.final)).toContain('/link');
    const record = await h.encore.services.suggestions!.serverPlaylist.repo.get(h.guild.id);
    expect(record).toMatchObject({ ownerId: alice.id, enabled: false });
    expect(await h.encore.services.suggestions!.radar.radar.get(carol.id)).toBeUndefined();
  });
});

describe('Encore Radar', () => {
  const week2 = NOW + 7 * DAY + 17 * 60_000;
  const week3 = NOW + 14 * DAY + 17 * 60_000;
  let radarId: string;

  /** A second instance: the feature built again over the same database, Discord and Spotify, with its own scheduler. */
  const secondInstances = (count: number) => {
    const context = anotherInstance();
    const ticks = manualTicks();
    const schedulers = Array.from({ length: count }, () => suggestFeature(context)).map((instance) =>
      startJobs([...instance.jobs!], undefined, { log: h.log.log, ticks: ticks.source }),
    );
    return { ticks, stop: () => Promise.all(schedulers.map((s) => s.stop())) };
  };

  it('is off by default; /suggest radar: On makes one private playlist filled with fresh suggestions', async () => {
    expect(playlistsOf('alice').filter((p) => p.name === 'Encore Radar')).toHaveLength(0);
    const seen = await h.invoke('/suggest', { radar: 'on' }, alice);
    expect(text(seen.final)).toContain('Encore Radar is on');
    const radars = playlistsOf('alice').filter((p) => p.name === 'Encore Radar');
    expect(radars).toHaveLength(1);
    expect(radars[0]!.public).toBe(false);
    expect(radars[0]!.items.length).toBeGreaterThan(0);
    radarId = radars[0]!.id;
  });

  it('next week it is replaced in place once (same playlist, new tracks, one DM), even with a restart and a second instance', async () => {
    const first = itemsOf(radarId);
    const dmsBefore = h.dmsOf(alice).length;
    setNow(week2);
    const requestsBefore = spotify().requests.length;
    await h.encore.jobs.runNow('refresh-radars', new Date(week2));
    // Within /suggest's cold budget (15) plus the one write that replaces the items; no playlist made.
    const refresh = spotify().requests.slice(requestsBefore);
    expect(refresh.length).toBeLessThanOrEqual(16);
    expect(refresh.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /playlists/${radarId}/items`,
    ]);
    const second = itemsOf(radarId);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((uri) => first.includes(uri))).toEqual([]);
    const dms = h.dmsOf(alice).slice(dmsBefore);
    expect(dms).toHaveLength(1);
    expect(contentAndEmbeds(dms[0])).toContain('Encore Radar');
    expect(buttons(dms[0]!).some((b) => b.url?.includes(radarId))).toBe(true);

    // A restart (a fresh instance) and a second instance tick the same week: nothing changes, nothing is asked of Spotify.
    const requestsAfter = spotify().requests.length;
    const others = secondInstances(2);
    expect(await others.ticks.tick('refresh-radars', new Date(week2 + 60 * 60_000))).toBe(2);
    await h.encore.jobs.runNow('refresh-radars', new Date(week2 + 2 * 60 * 60_000));
    await others.stop();
    expect(itemsOf(radarId)).toEqual(second);
    expect(spotify().requests.length).toBe(requestsAfter);
    expect(h.dmsOf(alice).slice(dmsBefore)).toHaveLength(1);
    expect(playlistsOf('alice').filter((p) => p.name === 'Encore Radar')).toHaveLength(1);
  });

  it('two instances racing on the week after refresh it once', async () => {
    const before = itemsOf(radarId);
    const dmsBefore = h.dmsOf(alice).length;
    setNow(week3);
    const racing = secondInstances(2);
    expect(await racing.ticks.tick('refresh-radars', new Date(week3))).toBe(2);
    await racing.stop();
    expect(itemsOf(radarId)).not.toEqual(before);
    expect(h.dmsOf(alice).slice(dmsBefore)).toHaveLength(1);
    expect(playlistsOf('alice').filter((p) => p.name === 'Encore Radar')).toHaveLength(1);
  });

  it('/unlink stops it: no refresh, no DM the week after', async () => {
    setNow(week3);
    await h.invoke('/suggest', { radar: 'on' }, dave);
    const radar = playlistsOf('dave').find((p) => p.name === 'Encore Radar')!;
    const items = itemsOf(radar.id);
    const before = (await rowsMentioning(dave.id)).map((r) => r.split(':')[0]);
    expect(before).toEqual(expect.arrayContaining(['suggest_answers', 'radar_playlists']));
    const ask = await h.invoke('/unlink', {}, dave);
    const yes = buttons(ask.final!).find((b) => b.custom_id?.startsWith('unlink:confirm'))!;
    const done = await h.click(ask.final!, yes.custom_id!, dave);
    expect(contentAndEmbeds(done.final)).toContain('Encore Radar');
    const dmsBefore = h.dmsOf(dave).length;
    const week4 = week3 + 7 * DAY;
    setNow(week4);
    await h.encore.jobs.runNow('refresh-radars', new Date(week4));
    expect(itemsOf(radar.id)).toEqual(items);
    expect(h.dmsOf(dave).slice(dmsBefore)).toHaveLength(0);
    expect(await h.encore.services.suggestions!.radar.radar.get(dave.id)).toBeUndefined();
    // Nor any row anywhere that mentions him: answers, 👎 feedback, radar, leases.
    expect(await rowsMentioning(dave.id)).toEqual([]);
  });
});
