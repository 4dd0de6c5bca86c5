import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type EInteraction,
  type EUser,
  type RecordedMessage,
} from '../../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { nextOccurrence } from '../../src/core/digest/index.js';
import { freePort } from '../../src/net.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { followLinkPage } from '../support/linkPage.js';
import { sortWorld } from '../support/sortWorld.js';
import { buttons, contentAndEmbeds, linkUrl, text } from '../support/messages.js';
import { pollUntil, waitUntil } from '../support/waitUntil.js';
import type { FromInstance, ToInstance } from './instance.js';

/**
 * Two bot processes, each running one of two shards, on one Postgres, one Spotify and one Discord
 * (the emulator serves two shards). The public URL is one address for both, as behind a load
 * balancer; the test chooses which process a browser request reaches by rewriting its port.
 * Cron ticks are fired by the test at both processes at once, as one wall clock would.
 */

interface Instance {
  shard: number;
  child: ChildProcess;
  port: number;
  output: string;
}

type EGuild = ReturnType<DiscordEmulator['addGuild']>;
const DAY = 86_400_000;
let db: TestDatabase;
let discord: DiscordEmulator;
let spotify: SpotifyEmulator;
let publicUrl: string;
const instances: Instance[] = [];
let guilds: [EGuild, EGuild];
let alice: EUser; // on shard 0's server
let bob: EUser; // on shard 1's server
const interactions: EInteraction[] = [];
/** The shard of each process that said it handled an interaction, kept across restarts. */
const settledBy = new Map<string, number[]>();
/** Who awaits an interaction's first "settled" message. */
const settleWaiters = new Map<string, () => void>();
let tickIds = 0;
let env: Record<string, string>;
/** The slash command definitions, as an instance loaded them. */
let commandDefinitions: unknown[] = [];

function startInstance(shard: number, env: Record<string, string>): Promise<Instance> {
  const child = fork(path.resolve('test/scale/instance.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...env, DISCORD_SHARDS: String(shard) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const instance: Instance = { shard, child, port: 0, output: '' };
  child.stdout!.on('data', (d) => (instance.output += String(d)));
  child.stderr!.on('data', (d) => (instance.output += String(d)));
  child.on('message', (m: FromInstance) => {
    if (m.type !== 'settled') return;
    settledBy.set(m.interactionId, [...(settledBy.get(m.interactionId) ?? []), shard]);
    settleWaiters.get(m.interactionId)?.();
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: FromInstance) => {
      if (m.type === 'ready') {
        instance.port = m.port;
        commandDefinitions = m.commands;
        resolve(instance);
      }
    });
    child.once('exit', (code) => reject(new Error(`instance ${shard} exited (${code}):\n${instance.output}`)));
  });
}

/** The same URL, reaching the given process instead of whichever the balancer would pick. */
const via = (url: string, instance: Instance) => {
  const u = new URL(url);
  u.port = String(instance.port);
  return u.toString();
};

/** Waits until some process said it finished handling the interaction. */
async function settled(interaction: EInteraction): Promise<EInteraction> {
  interactions.push(interaction);
  if (settledBy.has(interaction.id)) return interaction;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`interaction ${interaction.id} was not handled within 30 s`)),
      30_000,
    );
    settleWaiters.set(interaction.id, () => (clearTimeout(timer), resolve()));
  }).finally(() => settleWaiters.delete(interaction.id));
  return interaction;
}
const invoke = (command: string, options: Record<string, unknown>, user: EUser, guild: EGuild) =>
  settled(discord.chatInput(command, options, user, { guild }));
const click = (message: RecordedMessage, customId: string, user: EUser) =>
  settled(discord.component(message, customId, user));
const reply = (i: EInteraction) => (i.original ? discord.state.messages.get(i.original.id) : undefined);

/**
 * Fires one cron tick at every process at the same moment; resolves when each finished its run,
 * with how many runs of the job each process has finished so far.
 */
async function tick(job: string, at: number): Promise<number[]> {
  const id = ++tickIds;
  return Promise.all(
    instances.map(
      (p) =>
        new Promise<number>((resolve, reject) => {
          const onMessage = (m: FromInstance) => {
            if (m.type === 'ticked' && m.id === id) {
              p.child.off('message', onMessage);
              if (m.reached === 1) resolve(m.runs);
              else reject(new Error(`instance ${p.shard} does not schedule ${job}`));
            }
          };
          p.child.on('message', onMessage);
          p.child.send({ type: 'tick', id, job, at } satisfies ToInstance);
        }),
    ),
  );
}

/** /link in `guild`, the link page opened on `pageOn`, Spotify's consent, the callback served by `callbackOn`. */
async function link(member: EUser, guild: EGuild, spotifyUser: string, pageOn: Instance, callbackOn: Instance) {
  const before = discord.dmsOf(member).length;
  await invoke('link', {}, member, guild);
  const url = linkUrl(discord.dmsOf(member)[before]!);
  expect(url.startsWith(`${publicUrl}/link/`)).toBe(true);
  const { authorizeUrl } = await followLinkPage(via(url, pageOn));
  const callback = await spotify.consent({ authorizeUrl: authorizeUrl!, userId: spotifyUser });
  expect(callback.startsWith(`${publicUrl}/callback`)).toBe(true);
  const page = await fetch(via(callback, callbackOn));
  return { status: page.status, html: await page.text() };
}

beforeAll(async () => {
  db = await createTestDatabase();
  discord = await startDiscordEmulator({ shards: 2 });
  spotify = await startSpotifyEmulator();
  guilds = [
    discord.addGuild('Shard zero server', ['general', 'digest'], { shard: 0 }),
    discord.addGuild('Shard one server', ['general', 'digest'], { shard: 1 }),
  ];
  alice = discord.addMember(guilds[0], 'alice');
  bob = discord.addMember(guilds[1], 'bob');
  publicUrl = `http://127.0.0.1:${await freePort()}`;
  env = {
    PATH: process.env.PATH ?? '',
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SHARD_COUNT: '2',
    SPOTIFY_CLIENT_ID: 'scaleclient000000001',
    SPOTIFY_CLIENT_SECRET: 'scalesecret000000001',
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
    PUBLIC_URL: publicUrl,
    DATABASE_URL: db.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  // Started together, as a deploy starts its machines: both apply migrations to one database.
  instances.push(...(await Promise.all([startInstance(0, env), startInstance(1, env)])));
  for (const p of instances) p.child.on('message', (m: FromInstance) => m.type === 'error' && console.error(m));
  // What `npm run deploy-commands` does once per release.
  const put = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(commandDefinitions),
  });
  expect(put.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await Promise.all(
    instances.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          const force = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
          p.child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          p.child.send({ type: 'stop' } satisfies ToInstance);
        }),
    ),
  );
  await discord?.close();
  await spotify?.close();
  await db?.drop();
}, 30_000);

describe('two processes with one shard each', () => {
  it('each process holds only its own shard and its server, and says so on /healthz and /metrics', async () => {
    expect(discord.connectedShards()).toEqual([0, 1]);
    expect(guilds.map((g) => discord.shardOf(g))).toEqual([0, 1]);
    for (const p of instances) {
      const health = (await (await fetch(`http://127.0.0.1:${p.port}/healthz`)).json()) as {
        discord: { ready: boolean; shardCount: number; shards: Array<{ id: number; status: string; guilds: number }> };
      };
      expect(health.discord).toMatchObject({
        ready: true,
        shardCount: 2,
        shards: [{ id: p.shard, status: 'ready', guilds: 1 }],
      });
      const metrics = (await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).json()) as {
        discord: { shards: Array<{ id: number; guilds: number; ping: number | null }> };
      };
      expect(metrics.discord.shards.map((s) => [s.id, s.guilds])).toEqual([[p.shard, 1]]);
    }
  });

  it('links members of both servers with the OAuth callback served by the other process than the one that ran /link', async () => {
    // alice's /link runs on shard 0's process; her callback reaches shard 1's. bob's the other way round.
    const a = await link(alice, guilds[0], 'alice', instances[0]!, instances[1]!);
    expect(a.status, a.html).toBe(200);
    const b = await link(bob, guilds[1], 'bob', instances[1]!, instances[0]!);
    expect(b.status, b.html).toBe(200);
    // The "linked" DM names the server /link came from, though the process that sent it does not hold that server.
    expect(contentAndEmbeds(discord.dmsOf(alice).at(-1))).toContain('**Shard zero server**');
    expect(contentAndEmbeds(discord.dmsOf(bob).at(-1))).toContain('**Shard one server**');
  }, 60_000);

  it('/import: the upload link made by one process takes the upload on the other', async () => {
    const seen = await invoke('import', {}, bob, guilds[1]);
    expect(contentAndEmbeds(reply(seen))).toContain('I’ve sent you a DM');
    const url = linkUrl(discord.dmsOf(bob).at(-1)!);
    const now = Date.now();
    const zip = await spotify.exportExtendedHistory('bob', { from: now - 30 * DAY, to: now - DAY }, { perFile: 400 });
    const dmsBefore = discord.dmsOf(bob).length;
    const res = await fetch(via(url, instances[0]!), { method: 'POST', body: new Uint8Array(zip) });
    expect(res.status).toBe(200);
    const done = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as { done?: { imported: number } };
    expect(done.done?.imported).toBeGreaterThan(0);
    expect(contentAndEmbeds(discord.dmsOf(bob)[dmsBefore])).toContain('Imported ');
    // Used once, whichever process is asked next.
    const again = await fetch(via(url, instances[1]!), { method: 'POST', body: new Uint8Array(zip) });
    expect(again.status).toBe(410);
  }, 60_000);

  it('the admins of both servers set up their digests', async () => {
    for (const [guild, admin] of [
      [guilds[0], alice],
      [guilds[1], bob],
    ] as const) {
      const channel = discord.channel(guild, 'digest');
      const set = await invoke('digest', { subcommand: 'channel', channel: channel.id }, admin, guild);
      expect(text(reply(set))).toContain(channel.id);
      await invoke('digest', { subcommand: 'enabled', on: true }, admin, guild);
      const privacy = await invoke('privacy', {}, admin, guild);
      const show = buttons(reply(privacy)!).find((b) => b.label === 'Show me in this server');
      if (show) await click(reply(privacy)!, show.custom_id!, admin);
    }
  }, 60_000);

  it('the collector polls each member once per tick, though both processes run it', async () => {
    const polls = (user: string) =>
      spotify.requests.filter((r) => r.path === '/me/player/recently-played' && r.userId === user).length;
    const before = [polls('alice'), polls('bob')];
    // Not claimed per tick: both processes run it, and each member's lease decides who polls.
    expect(await tick('collect-history', Date.now() + 60 * 60_000)).toEqual([1, 1]);
    expect([polls('alice') - before[0]!, polls('bob') - before[1]!]).toEqual([1, 1]);
    // A minute later nobody is due again (the cadence is about 20 minutes).
    expect(await tick('collect-history', Date.now() + 61 * 60_000)).toEqual([2, 2]);
    expect([polls('alice') - before[0]!, polls('bob') - before[1]!]).toEqual([1, 1]);
  }, 60_000);

  it('each server’s weekly digest is posted once, by the process of its shard', async () => {
    const postAt = nextOccurrence({ weekday: 1, hour: 9, timeZone: 'UTC' }, Date.now()).postAt;
    const posted = () => guilds.map((g) => discord.messagesIn(discord.channel(g, 'digest')).length);
    expect(posted()).toEqual([0, 0]);
    expect(await tick('post-digests', postAt + 60_000)).toEqual([1, 1]);
    expect(await tick('post-digests', postAt + 2 * 60_000)).toEqual([2, 2]);
    expect(posted()).toEqual([1, 1]);
    for (const g of guilds)
      expect(contentAndEmbeds(discord.messagesIn(discord.channel(g, 'digest'))[0])).toContain(g.name);
  }, 60_000);

  it('the personal weekly wrapped DM goes out once a week per member, though both processes tick', async () => {
    for (const [guild, member] of [
      [guilds[0], alice],
      [guilds[1], bob],
    ] as const) {
      const privacy = await invoke('privacy', {}, member, guild);
      const yes = buttons(reply(privacy)!).find((b) => b.label === 'Send me a weekly DM')!;
      await click(reply(privacy)!, yes.custom_id!, member);
    }
    const first = nextOccurrence({ weekday: 1, hour: 9, timeZone: 'UTC' }, Date.now()).postAt;
    const second = first + 7 * DAY;
    // A week of listening before the second Monday, stored as the collector would have.
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      const history = createHistoryRepository(pool);
      for (const member of [alice, bob])
        await history.insertPlays(
          member.id,
          Array.from({ length: 6 }, (_, i) => ({
            playedAt: first + DAY + i * 5 * 60_000,
            track: {
              id: 'tr-scale',
              name: 'Scale Song',
              durationMs: 240_000,
              artists: [{ id: 'ar-scale', name: 'Scale Band' }],
            },
            msPlayed: 240_000,
            msEstimated: false,
            source: 'collected' as const,
            genre: 'jazz',
          })),
        );
    } finally {
      await pool.end();
    }
    const wrappedDms = () =>
      [alice, bob].map((m) => discord.dmsOf(m).filter((d) => text(d).includes('Your week in music')).length);
    expect(await tick('weekly-wrapped', first + 60_000)).toEqual([1, 1]);
    const afterFirst = wrappedDms();
    await tick('weekly-wrapped', first + 2 * 60_000);
    expect(wrappedDms()).toEqual(afterFirst);
    await tick('weekly-wrapped', second + 60_000);
    await tick('weekly-wrapped', second + 2 * 60_000);
    expect(wrappedDms()).toEqual(afterFirst.map((n) => n + 1));
  }, 60_000);

  it('jobs claimed per tick run on one process only', async () => {
    const hour = (offsetDays: number, minute: number, h = new Date().getUTCHours()) => {
      const d = new Date(Date.now() + offsetDays * DAY);
      d.setUTCHours(h, minute, 0, 0);
      return d.getTime();
    };
    const total = (runs: number[]) => runs.reduce((a, b) => a + b, 0);
    expect(total(await tick('resolve-genres', hour(1, 41)))).toBe(1);
    expect(total(await tick('resolve-genres', hour(1, 41)))).toBe(1);
    expect(total(await tick('resolve-genres', hour(2, 41)))).toBe(2);
    expect(total(await tick('reclassify-history', hour(1, 17, 4)))).toBe(1);
    expect(total(await tick('reclassify-history', hour(2, 17, 4)))).toBe(2);
  }, 60_000);

  it('relink nudges: each member gets one DM two weeks before Spotify ends the link, though both processes tick', async () => {
    const dms = () => [discord.dmsOf(alice).length, discord.dmsOf(bob).length];
    const before = dms();
    const nearEnd = Date.now() + 170 * DAY;
    const total = (runs: number[]) => runs.reduce((a, b) => a + b, 0);
    expect(total(await tick('relink-nudges', nearEnd))).toBe(1);
    expect(dms().map((n, i) => n - before[i]!)).toEqual([1, 1]);
    expect(total(await tick('relink-nudges', nearEnd + 3_600_000))).toBe(2);
    expect(dms().map((n, i) => n - before[i]!)).toEqual([1, 1]);
  }, 60_000);

  it('a sort cut off by its process stopping is finished once, though both processes tick resume-sorts', async () => {
    const { createdFrom } = sortWorld(() => spotify, 'bob');
    const preview = await invoke('sort', { playlist: 'bobmain', min_tracks: 5 }, bob, guilds[1]);
    const planned = [...text(reply(preview)).matchAll(/\*\*(.+?)\*\* — (\d+) tracks/g)].map((m) => m[1]!);
    expect(planned.length).toBeGreaterThan(1);
    const confirm = buttons(reply(preview)!).find((b) => b.custom_id?.startsWith('sort:confirm:'))!;

    // Spotify holds every playlist create; shard 1's process is stopped while they are in flight.
    let release!: () => void;
    spotify.addFault({ method: 'POST', path: '/me/playlists', gate: new Promise<void>((r) => (release = r)) });
    const creates = () => spotify.requests.filter((r) => r.method === 'POST' && r.path === '/me/playlists').length;
    const createsBefore = creates();
    discord.component(reply(preview)!, confirm.custom_id!, bob);
    await waitUntil(() => creates() > createsBefore, 'a playlist create reached Spotify');
    expect(creates()).toBeGreaterThan(createsBefore);
    const old = instances[1]!;
    const exited = new Promise((r) => old.child.once('exit', r));
    old.child.send({ type: 'stop' } satisfies ToInstance);
    release();
    await exited;
    spotify.control.faults.length = 0;
    expect(createdFrom("Bob Marley Fan's mix").length).toBeLessThan(planned.length);

    // Back up (it resumes unfinished sorts as it starts), and both processes tick.
    const dmsBefore = discord.dmsOf(bob).length;
    instances[1] = await startInstance(1, env);
    const finished = () =>
      discord
        .dmsOf(bob)
        .slice(dmsBefore)
        .filter((m) => m.content.includes('is finished'));
    // Its start-up run goes by the real clock and the ticks below by one 200 days on, where that
    // run's lease looks long expired: a tick could take the job over while it runs, and both runs
    // could finish it (two DMs). The start-up run ends first (or 30 s pass), so the clocks never meet.
    await pollUntil(() => finished().length > 0);
    // After every tick so far (a process's clock never goes back), and past the job's lease.
    const resumeAt = Date.now() + 200 * DAY;
    const first = await tick('resume-sorts', resumeAt);
    await pollUntil(() => finished().length > 0);
    const second = await tick('resume-sorts', resumeAt + 60_000);
    // Both processes ran again (the counts also include the run a process does as it starts, which may end meanwhile).
    expect(second.every((n, i) => n > first[i]!)).toBe(true);
    expect(finished()).toHaveLength(1);
    expect(finished()[0]!.content).toContain("Your sort of **Bob Marley Fan's mix** is finished");
    const created = createdFrom("Bob Marley Fan's mix");
    expect(created.map((p) => p.name).sort()).toEqual([...planned].sort());
    const tracks = created.flatMap((p) => p.items.map((i) => (i as { id: string }).id));
    expect(new Set(tracks).size).toBe(tracks.length);
  }, 90_000);

  it('every interaction went to the process of its server’s shard only, and was answered exactly once', () => {
    expect(interactions.length).toBeGreaterThanOrEqual(10);
    for (const interaction of interactions) {
      const shard = discord.shardOf(interaction.guildId ? discord.state.guilds.get(interaction.guildId) : undefined);
      expect(interaction.deliveredTo, interaction.id).toEqual([shard]);
      expect(settledBy.get(interaction.id), interaction.id).toEqual([shard]);
      // Acknowledged, and never twice: a second acknowledgement would be refused (40060) and listed below.
      expect(interaction.acknowledged).toBe(true);
      expect(interaction.history.filter((m) => m.via === 'reply' || m.via === 'deferred').length).toBeLessThanOrEqual(
        1,
      );
    }
    const rejected = discord.state.rejected.filter((r) => interactions.some((i) => i.id === r.interactionId));
    expect(rejected).toEqual([]);
  });
});
