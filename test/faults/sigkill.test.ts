import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type EInteraction,
  type EUser,
  type RecordedMessage,
} from '../../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { COMMANDS_DIR, loadCommands } from '../../src/discord/command.js';
import { freePort } from '../../src/net.js';
import { seededRandom } from '../core/random.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { followLinkPage } from '../support/linkPage.js';
import { buttons, contentAndEmbeds as text, linkUrl } from '../support/messages.js';
import { sortWorld } from '../support/sortWorld.js';
import pg from 'pg';
import { waitUntil } from '../support/waitUntil.js';

/**
 * SIGKILL at seeded points during a sort, a collector poll and an import, then a restart: the end
 * state must be the one an uninterrupted run leaves. The bot runs as a child process
 * (support/crashableBot.ts: startEncore from the environment, as `npm start` does). Each kill point
 * is an operation held at the Spotify emulator's gate, so the kill lands exactly there; whether
 * the held request then lands at Spotify (the bot died before hearing it) or never arrives is the
 * seed's choice too. Set FAULT_SEED to replay a run.
 */
const SEED = Number(process.env.FAULT_SEED ?? 1717);
const random = seededRandom(SEED);
const MINUTE = 60_000;
const DAY = 86_400_000;
const ITEMS = /^\/playlists\/[^/]+\/items$/;

let db: TestDatabase;
let discord: DiscordEmulator;
let spotify: SpotifyEmulator;
let guild: ReturnType<DiscordEmulator['addGuild']>;
let env: Record<string, string>;
let sql: pg.Pool;
const spotifyNow = Date.now();

interface Bot {
  child: ChildProcess;
  settled: Set<string>;
  waiters: Map<string, () => void>;
  output: string;
}
let bot: Bot | undefined;

async function startBot(): Promise<Bot> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/faults/support/crashableBot.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const started: Bot = { child, settled: new Set(), waiters: new Map(), output: '' };
  child.stdout!.on('data', (d) => (started.output = (started.output + String(d)).slice(-20_000)));
  child.stderr!.on('data', (d) => (started.output = (started.output + String(d)).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; settled?: string; ran?: string }) => {
      if (m.ready) resolve();
      if (m.settled) {
        started.settled.add(m.settled);
        started.waiters.get(m.settled)?.();
      }
      if (m.ran) started.waiters.get(`ran:${m.ran}`)?.();
    });
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) while starting:\n${started.output}`)));
  });
  await until(() => discord.connectedSessions() === 1, 'the bot is on the gateway');
  bot = started;
  return started;
}

async function kill9(): Promise<void> {
  const current = bot!;
  bot = undefined;
  const exited = new Promise((r) => current.child.once('exit', r));
  current.child.kill('SIGKILL');
  await exited;
  await until(() => discord.connectedSessions() === 0, 'the killed bot left the gateway');
}

const until = waitUntil;

const settledOn = (interaction: EInteraction) =>
  new Promise<RecordedMessage | undefined>((resolve, reject) => {
    const current = bot!;
    const done = () => resolve(interaction.original && discord.state.messages.get(interaction.original.id));
    const timer = setTimeout(() => reject(new Error(`not handled within 30 s:\n${current.output}`)), 30_000);
    if (current.settled.has(interaction.id)) return (clearTimeout(timer), done());
    current.waiters.set(interaction.id, () => (clearTimeout(timer), done()));
  });
const invoke = (command: string, values: Record<string, unknown>, user: EUser) =>
  settledOn(discord.chatInput(command, values, user, { guild }));
const runJob = (name: string, at: number) =>
  new Promise<void>((resolve) => {
    bot!.waiters.set(`ran:${name}`, resolve);
    bot!.child.send({ run: name, at });
  });

async function link(user: EUser, spotifyUser: string) {
  await invoke('link', {}, user);
  const { authorizeUrl } = await followLinkPage(linkUrl(discord.dmsOf(user).at(-1)!));
  const callback = await spotify.consent({ authorizeUrl: authorizeUrl!, userId: spotifyUser });
  expect((await fetch(callback)).status).toBe(200);
}

/** Holds the `nth` request matching (1-based) at the emulator; resolves when it is held. */
function holdNth(method: string, matches: string | RegExp, nth: number, outcome: 'lands' | 'lost') {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  if (nth > 1) spotify.addFault({ method, path: matches, times: nth - 1 });
  spotify.addFault({ method, path: matches, times: 1, gate, ...(outcome === 'lost' ? { reset: true } : {}) });
  const isHeld = () =>
    spotify.requests.some(
      (r) =>
        r.method === method &&
        (typeof matches === 'string' ? r.path.startsWith(matches) : matches.test(r.path)) &&
        r.status === 0,
    );
  return { release, isHeld };
}
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
  discord = await startDiscordEmulator();
  guild = discord.addGuild('Crash test', ['general']);
  spotify = await startSpotifyEmulator({ now: () => spotifyNow });
  const commands = await loadCommands(COMMANDS_DIR);
  await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${guild.id}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify([...commands.values()].map((c) => c.data.toJSON())),
  });
  const port = await freePort();
  env = {
    PATH: process.env.PATH ?? '',
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    SPOTIFY_CLIENT_ID: 'crashtestclient00001',
    SPOTIFY_CLIENT_SECRET: 'crashtestsecret00001',
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    DATABASE_URL: db.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  await startBot();
}, 60_000);

afterAll(async () => {
  if (bot) {
    bot.child.kill('SIGKILL');
    await new Promise((r) => bot!.child.once('exit', r));
  }
  await sql?.end();
  await discord?.close();
  await spotify?.close();
  await db?.drop();
});

const count = async (query: string, params: unknown[]) => Number((await sql.query(query, params)).rows[0].n);

describe(`SIGKILL, then a restart (seed ${SEED})`, () => {
  it('a sort killed while a playlist create or a track write is in flight ends, after the restart, with every planned track exactly once', async () => {
    const alice = discord.addMember(guild, 'alice-crash');
    await link(alice, 'alice');
    const { trackUris, createdFrom } = sortWorld(() => spotify, 'alice');
    // Two kill points, each a track write chosen by the seed, and whether it landed.
    for (const round of [1, 2]) {
      for (const p of createdFrom('Road trip')) spotify.world.playlists.delete(p.id);
      const preview = (await invoke('sort', { playlist: 'roadtrip1000', min_tracks: 10 }, alice))!;
      const confirm = buttons(preview).find((b) => b.custom_id?.startsWith('sort:confirm:'));
      expect(confirm, text(preview)).toBeDefined();
      // This sort makes 22 playlists with 24 track writes: the seed picks one of the first 20 of either.
      const kind = pick(['create', 'add'] as const);
      const nth = 1 + Math.floor(random() * 20);
      const outcome = pick(['lands', 'lost'] as const);
      const held = holdNth('POST', kind === 'add' ? ITEMS : '/me/playlists', nth, outcome);
      discord.component(preview, confirm!.custom_id!, alice);
      await until(held.isHeld, `round ${round}: ${kind} ${nth} is held`);
      await kill9();
      held.release();
      spotify.control.faults.length = 0;
      await startBot();
      // The resume job, past the killed run's lease, finishes the sort.
      await runJob('resume-sorts', Date.now() + 3 * MINUTE);
      const placed = createdFrom('Road trip').flatMap((p) =>
        p.items.map((i) => `spotify:track:${(i as { id: string }).id}`),
      );
      expect(placed.length, `round ${round}, ${kind} ${nth} ${outcome}`).toBe(new Set(placed).size);
      expect(placed.sort()).toEqual(trackUris('roadtrip1000').sort());
      const planned = (preview.embeds[0] as { description: string }).description
        .split('\n')
        .map((l) => /\*\*(.+)\*\* — (\d+) tracks/.exec(l)!.slice(1))
        .map(([name, n]) => [name!, Number(n)] as const)
        .sort();
      expect(
        createdFrom('Road trip')
          .map((p) => [p.name, p.items.length] as const)
          .sort(),
      ).toEqual(planned);
      expect(discord.dmsOf(alice).filter((m) => text(m).includes('is finished')).length).toBe(round);
    }
  }, 120_000);

  it('a collector poll killed while Spotify answers stores, after the restart, each of the last 50 plays exactly once', async () => {
    const dave = discord.addMember(guild, 'dave-crash');
    await link(dave, 'dave');
    const outcome = pick(['lands', 'lost'] as const);
    const held = holdNth('GET', '/me/player/recently-played', 1, outcome);
    void runJob('collect-history', Date.now());
    await until(held.isHeld, 'the poll is held');
    await kill9();
    held.release();
    spotify.control.faults.length = 0;
    await startBot();
    await runJob('collect-history', Date.now() + 5 * MINUTE);
    await runJob('collect-history', Date.now() + 90 * MINUTE);
    const truth = spotify.listening.recent('dave', spotifyNow, 50).map((p) => p.playedAt);
    const stored = (
      await sql.query<{ played_at: Date }>(`SELECT played_at FROM plays WHERE member_id = $1 ORDER BY played_at DESC`, [
        dave.id,
      ])
    ).rows.map((r) => r.played_at.getTime());
    expect(stored, outcome).toEqual(truth);
    expect(await count(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`, [dave.id])).toBe(
      truth.length,
    );
  }, 90_000);

  it('an import killed while it stores leaves nothing half-done; a new link imports every play exactly once', async () => {
    const erin = discord.addMember(guild, 'erin-crash');
    await link(erin, 'erin');
    const zip = await spotify.exportExtendedHistory(
      'erin',
      { from: spotifyNow - 120 * DAY, to: spotifyNow },
      { perFile: 200 },
    );
    const played = spotify.listening.playsBetween('erin', spotifyNow - 120 * DAY, spotifyNow);
    await invoke('import', {}, erin);
    // Killed after the seed's number of files were read and staged (progress lines), before the commit.
    const files = 1 + Math.floor(random() * 4);
    const res = await fetch(linkUrl(discord.dmsOf(erin).at(-1)!), { method: 'POST', body: new Uint8Array(zip) });
    const reader = res.body!.getReader();
    let seen = '';
    while ((seen.match(/"progress"/g) ?? []).length < files) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += Buffer.from(value).toString('utf8');
    }
    expect(seen).not.toContain('"done"');
    await kill9();
    await reader.cancel().catch(() => undefined);
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [erin.id])).toBe(0);
    await startBot();

    await invoke('import', {}, erin);
    const again = await fetch(linkUrl(discord.dmsOf(erin).at(-1)!), { method: 'POST', body: new Uint8Array(zip) });
    const done = JSON.parse((await again.text()).trim().split('\n').at(-1)!).done as { imported: number };
    expect(done.imported, `killed after ${files} files`).toBe(played.length);
    expect(await count(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [erin.id])).toBe(played.length);
    expect(await count(`SELECT coalesce(sum(plays), 0) AS n FROM member_daily WHERE member_id = $1`, [erin.id])).toBe(
      played.length,
    );
    expect(await count(`SELECT count(*) AS n FROM history_imports WHERE member_id = $1`, [erin.id])).toBe(1);
  }, 90_000);
});
