import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../src/net.js';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type EInteraction,
  type EUser,
} from '../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../emulators/spotify/index.js';
import type { EPlaylist } from '../emulators/spotify/seed.js';
import { followLinkPage } from '../scripts/support/linkPage.js';
import type { FromChild, LoopFigures, MemorySample, ToChild } from './encoreProcess.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** As the Dockerfile's CMD and ENV: keep these in step with it (the reasons are there). */
const NODE_MEMORY_FLAGS = ['--max-semi-space-size=4'];
const MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

export interface BenchMember {
  discord: EUser;
  spotifyId: string;
}

/**
 * Both emulators in this process and Encore in a child process (bench/encoreProcess.ts) on a fresh
 * Postgres database, with `members` members linked the way a person links: the Spotify emulator's
 * five seeded users and its extra listeners, all allowlisted as an extended-quota app would have
 * them, each with the playlists asked for.
 */
export interface EncoreBot {
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
  guild: ReturnType<DiscordEmulator['addGuild']>;
  members: BenchMember[];
  /** The clock both emulated Spotify and the bot read: wall time plus what `runJobs` moved it by. */
  now(): number;
  /** When the bot finished handling an interaction (the router's settle hook, across the process boundary). */
  settledAt(id: string): number | undefined;
  settled(i: EInteraction, giveUpMs?: number): Promise<number | undefined>;
  measureStart(): void;
  measureStop(): Promise<LoopFigures>;
  /** Moves both clocks to wall time + offsetMs and runs the named jobs there, in order. */
  runJobs(offsetMs: number, jobs: string[]): Promise<string[]>;
  /** Heap and RSS of the bot process after two full garbage collections. */
  sample(): Promise<MemorySample>;
  /**
   * With the embedded store: the memory of its Postgres processes (the server and every backend),
   * as the sum of their PSS, which counts shared_buffers and the binaries once, not once a process.
   */
  postgresMemory(): Promise<number | undefined>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startEncoreBot(options: {
  members: number;
  latencyMs: number;
  spotifyLimits: { concurrency?: number; perSecond?: number; dailyBudget?: number };
  /** Extra playlists per member: [id suffix, tracks]. */
  playlists?: Array<[string, number]>;
  /**
   * 'embedded': no DATABASE_URL, so the bot spawns its own Postgres under a temporary DATA_DIR, as
   * a single fly.io machine runs it. 'server' (the default): a fresh database on the test server.
   */
  store?: 'embedded' | 'server';
}): Promise<EncoreBot> {
  const embedded = options.store === 'embedded';
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `encore_bench_${randomBytes(4).toString('hex')}`;
  const adminQuery = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  if (!embedded) await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dataDir = embedded ? await mkdtemp(path.join(tmpdir(), 'encore-bench-')) : '/nonexistent';
  if (embedded) await chmod(dataDir, 0o755); // the embedded server runs as the postgres user when we are root

  let offset = 0;
  const now = () => Date.now() + offset;
  const seeded = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const extra = Math.max(0, options.members - seeded.length);
  const spotify = await startSpotifyEmulator({ latencyMs: options.latencyMs, now, listeners: extra });
  const spotifyIds = Array.from({ length: options.members }, (_, k) => (k < 5 ? seeded[k]! : `listener${k - 4}`));
  const world = spotify.world;
  for (const [k, id] of spotifyIds.entries()) {
    spotify.control.allowlist.add(id);
    for (const [suffix, tracks] of options.playlists ?? []) {
      const items = Array.from({ length: tracks }, (_, i) => ({
        kind: 'track' as const,
        id: world.trackList[(k * 397 + i * 13) % world.trackList.length]!.id,
        addedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        addedBy: id,
      }));
      const playlist: EPlaylist = {
        id: `${id}${suffix}`,
        name: `${id} ${suffix}`,
        description: '',
        ownerId: id,
        public: false,
        collaborative: false,
        collaborators: [],
        followers: [],
        items,
        snapshot: 1,
      };
      world.playlists.set(playlist.id, playlist);
    }
  }

  const discord = await startDiscordEmulator();
  const guild = discord.addGuild('Encore load', ['general', 'digest']);
  const port = await freePort();
  const env: Record<string, string> = {
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    SPOTIFY_CLIENT_ID: 'encorebenchclient001',
    SPOTIFY_CLIENT_SECRET: 'encorebenchsecret001',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(embedded ? {} : { DATABASE_URL: url.toString() }),
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    PORT: String(port),
    LOG_LEVEL: 'silent',
    SPOTIFY_USER_CAP: String(options.members),
    DISCORD_API_URL: discord.apiUrl,
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
  };
  const child: ChildProcess = fork(path.join(here, 'encoreProcess.ts'), [], {
    // ENCORE_BENCH_CPU_PROF=<dir> writes the bot's CPU profile there when it stops (open it in Chrome's DevTools).
    // The memory settings the Dockerfile runs the bot with, so its RSS here is what fly.io sees.
    execArgv: [
      ...NODE_MEMORY_FLAGS,
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.ENCORE_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ENCORE_BENCH_CPU_PROF}`]
        : []),
    ],
    env: {
      ...process.env,
      ...MALLOC_ENV,
      ENCORE_BENCH_ENV: JSON.stringify(env),
      ENCORE_BENCH_SPOTIFY_LIMITS: JSON.stringify(options.spotifyLimits),
      ENCORE_BENCH_GUILD: guild.id,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const settledTimes = new Map<string, number>();
  const waiters: Array<(m: FromChild) => boolean> = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (m: FromChild) => {
    if (m.type === 'settled') settledTimes.set(m.id, m.at);
    else if (m.type === 'error') console.error(`bot process: ${m.message}`);
    const index = waiters.findIndex((w) => w(m));
    if (index >= 0) waiters.splice(index, 1);
  });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      void exited.then(() => reject(new Error('the bot process exited')));
      waiters.push((m) => (m.type === type ? (resolve(m as Extract<FromChild, { type: T }>), true) : false));
    });
  const ask = <T extends FromChild['type']>(message: ToChild, type: T) => {
    const answer = next(type);
    child.send(message);
    return answer;
  };
  await next('ready');

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const settled = async (i: EInteraction, giveUpMs = 120_000) => {
    while (!settledTimes.has(i.id)) {
      if (Date.now() - i.createdAt > giveUpMs) return undefined;
      await sleep(10);
    }
    return settledTimes.get(i.id)! - i.createdAt;
  };

  const members: BenchMember[] = [];
  for (const [k, spotifyId] of spotifyIds.entries()) {
    const member = discord.addMember(guild, `member${k}`);
    const before = discord.dmsOf(member).length;
    const i = discord.chatInput('link', {}, member, { guild });
    await settled(i, 30_000);
    const carrier = discord.dmsOf(member)[before] ?? i.original!;
    const linkUrl = (carrier.components[0] as { components: Array<{ url: string }> }).components[0]!.url;
    const { authorizeUrl } = await followLinkPage(linkUrl);
    if (!authorizeUrl) throw new Error(`member${k}: the link page did not lead to Spotify`);
    const page = await fetch(await spotify.consent({ authorizeUrl, userId: spotifyId }));
    if (page.status !== 200) throw new Error(`member${k} (${spotifyId}): the callback answered ${page.status}`);
    members.push({ discord: member, spotifyId });
  }

  return {
    spotify,
    discord,
    guild,
    members,
    now,
    settledAt: (id) => settledTimes.get(id),
    settled,
    measureStart: () => child.send({ type: 'measure-start' } satisfies ToChild),
    measureStop: async () => (await ask({ type: 'measure-stop' }, 'measured')).figures,
    async runJobs(offsetMs, jobs) {
      offset = offsetMs;
      return (await ask({ type: 'run-jobs', offsetMs, jobs }, 'ran')).failed;
    },
    sample: async () => (await ask({ type: 'sample' }, 'sampled')).sample,
    postgresMemory: async () => (embedded && child.pid ? postgresPss(child.pid) : undefined),
    query: async <T>(sql: string) => (await ask({ type: 'query', sql }, 'rows')).rows as T[],
    async close() {
      child.send({ type: 'stop' } satisfies ToChild);
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
      await discord.close();
      await spotify.close();
      if (embedded) await rm(dataDir, { recursive: true, force: true });
      else await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Sum of the PSS of every `postgres` process descending from `root` (Linux /proc; 0 elsewhere). */
async function postgresPss(root: number): Promise<number> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so read from the last ')'.
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  let bytes = 0;
  for (const [pid, comm] of names) {
    if (comm !== 'postgres' || !descends(pid)) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    bytes += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  }
  return bytes;
}
