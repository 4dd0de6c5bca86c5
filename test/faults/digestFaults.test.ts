import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import type { Config } from '../../src/config.js';
import { startEncore, type Encore } from '../../src/encore.js';
import { freePort } from '../../src/net.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded.js';
import { createHistoryRepository } from '../../src/store/history/historyRepository.js';
import { seededRandom } from '../core/random.js';
import { captureLogger } from '../support/logger.js';
import { manualTicks } from '../support/manualTicks.js';
import { startHoldingProxy, type HoldingProxy } from './support/holdingProxy.js';
import { waitUntil } from '../support/waitUntil.js';

/**
 * The weekly digest post under faults: Postgres restarted between the post landing in Discord and
 * Encore recording it, the gateway dropping while it posts, and SIGKILL before the post reached
 * Discord or after it landed. Each week's digest must appear in the channel exactly once. The post
 * is held at a proxy in front of Discord's REST API, so every fault lands at the same point.
 */
const SEED = Number(process.env.FAULT_SEED ?? 1717);
const random = seededRandom(SEED);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Mondays 09:00 UTC, the digest's schedule here; each test plays its own week. */
const WEEK = (n: number) => Date.parse('2027-03-01T09:00:30Z') + n * 7 * DAY;

let dir: string;
let pgPort: number;
let postgres: EmbeddedPostgres;
let discord: DiscordEmulator;
let spotify: SpotifyEmulator;
let proxy: HoldingProxy;
let channel: ReturnType<DiscordEmulator['channel']>;
let config: Config;
let encore: Encore | undefined;
let child: ChildProcess | undefined;
let discordNow = WEEK(-1);
const captured = captureLogger('warn');

const POSTS = (channelId: string) => new RegExp(`^/v10/channels/${channelId}/messages$`);
const postsOfWeek = (tick: number) =>
  discord.messagesIn(channel).filter((m) => m.at >= tick - MINUTE && m.at < tick + DAY);
const until = waitUntil;
/** The post-digests job at `at`, with Discord's clock at the same moment. */
const tickInProcess = (at: number) => {
  discordNow = at;
  return encore!.jobs.runNow('post-digests', new Date(at));
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-digest-faults-'));
  await chmod(dir, 0o755);
  pgPort = await freePort();
  postgres = await startEmbeddedPostgres(dir, { port: pgPort });
  discord = await startDiscordEmulator({ now: () => discordNow });
  const guild = discord.addGuild('Digest faults', ['general', 'digest']);
  channel = discord.channel(guild, 'digest');
  spotify = await startSpotifyEmulator();
  proxy = await startHoldingProxy(discord.apiUrl);
  const port = await freePort();
  config = Object.freeze({
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    SPOTIFY_CLIENT_ID: 'digestfaultclient001',
    SPOTIFY_CLIENT_SECRET: 'digestfaultsecret001',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: postgres.url,
    DATA_DIR: '/nonexistent',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PORT: port,
    LOG_LEVEL: 'warn',
    SPOTIFY_USER_CAP: 5,
    DISCORD_API_URL: proxy.url,
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
    MUSICBRAINZ_URL: undefined,
  } as Config);
  encore = await startEncore({ config, log: captured.log, host: '127.0.0.1', jobTicks: manualTicks().source });

  // Three members share their listening here, and listened every day of the weeks these tests play.
  const admin = discord.addMember(guild, 'digest-admin');
  const history = createHistoryRepository(encore.store.pool);
  for (const [i, name] of ['ana', 'ben', 'cleo'].entries()) {
    const member = discord.addMember(guild, name);
    await encore.services.privacy!.save(member.id, { visibleIn: [guild.id], weeklyDm: false });
    for (let day = WEEK(-1) - 8 * DAY; day < WEEK(5); day += DAY)
      await history.insertPlays(
        member.id,
        Array.from({ length: 3 + i }, (_, k) => ({
          playedAt: day + k * 5 * MINUTE,
          track: {
            id: `tr-${name}-${k}`,
            name: `Song ${k} of ${name}`,
            durationMs: 200_000,
            artists: [{ id: `ar-${name}`, name: `Artist ${name}` }],
          },
          msPlayed: 200_000,
          msEstimated: false,
          source: 'collected' as const,
          genre: ['rock', 'jazz', 'hip-hop'][i]!,
        })),
      );
  }
  await encore.services.digest!.settings.save({
    guildId: guild.id,
    enabled: true,
    channelId: channel.id,
    weekday: 1,
    hour: 9,
    timeZone: 'UTC',
    enabledAt: WEEK(-1) - 14 * DAY,
    configuredBy: admin.id,
  });
}, 90_000);

afterAll(async () => {
  await encore?.stop(10_000);
  if (child) {
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
  }
  await proxy?.close();
  await discord?.close();
  await spotify?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the weekly digest under faults: posted exactly once', () => {
  it('Postgres restarts after the post landed and before Encore recorded it: the retry gets the same message back, no second post', async () => {
    const tick = WEEK(0);
    const hold = proxy.hold('POST', POSTS(channel.id), 'after-upstream');
    const run = tickInProcess(tick).catch(() => undefined);
    await hold.held;
    expect(postsOfWeek(tick)).toHaveLength(1);
    await postgres.stop();
    hold.release();
    await run;
    postgres = await startEmbeddedPostgres(dir, { port: pgPort });
    // Past the post's 90-second lease, inside Discord's nonce window.
    await tickInProcess(tick + 2 * MINUTE);
    await tickInProcess(tick + 4 * MINUTE);
    // Past the nonce window: only the recorded outcome keeps it from posting again.
    await tickInProcess(tick + 30 * MINUTE);
    expect(postsOfWeek(tick)).toHaveLength(1);
    expect((await encore!.store.health()).ok).toBe(true);
  }, 60_000);

  it('the gateway drops while the digest is being posted: it is posted once', async () => {
    const tick = WEEK(1);
    const hold = proxy.hold('POST', POSTS(channel.id), 'before-upstream');
    const run = tickInProcess(tick);
    await hold.held;
    discord.dropConnections();
    hold.release();
    await run;
    await until(() => discord.connectedSessions() === 1, 'the bot resumed');
    await tickInProcess(tick + 2 * MINUTE);
    await tickInProcess(tick + 30 * MINUTE);
    expect(postsOfWeek(tick)).toHaveLength(1);
  }, 60_000);

  const startChild = async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      ...Object.fromEntries(
        Object.entries({ ...config, DATABASE_URL: postgres.url }).flatMap(([k, v]) =>
          v === undefined || k === 'DATA_DIR' ? [] : [[k, String(v)]],
        ),
      ),
    };
    child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/faults/support/crashableBot.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    await new Promise<void>((resolve, reject) => {
      child!.on('message', (m: { ready?: boolean }) => m.ready && resolve());
      child!.once('exit', (code) => reject(new Error(`the bot exited (${code}):\n${output}`)));
    });
    await until(() => discord.connectedSessions() === 1, 'the bot is on the gateway');
  };
  const tickChild = (at: number) =>
    new Promise<void>((resolve) => {
      discordNow = at;
      const onMessage = (m: { ran?: string }) => {
        if (m.ran !== 'post-digests') return;
        child!.off('message', onMessage);
        resolve();
      };
      child!.on('message', onMessage);
      child!.send({ run: 'post-digests', at });
    });
  const kill9 = async () => {
    const dying = child!;
    child = undefined;
    const exited = new Promise((r) => dying.once('exit', r));
    dying.kill('SIGKILL');
    await exited;
    await until(() => discord.connectedSessions() === 0, 'the killed bot left the gateway');
  };

  it(`SIGKILL before the post reached Discord, or after it landed (seed ${SEED}): after a restart each week is posted once`, async () => {
    await encore!.stop(10_000);
    encore = undefined;
    await until(() => discord.connectedSessions() === 0, 'the in-process bot left');
    await startChild();
    // Both kill points, in the seed's order.
    const points =
      random() < 0.5
        ? (['after-upstream', 'before-upstream'] as const)
        : (['before-upstream', 'after-upstream'] as const);
    for (const [i, when] of points.entries()) {
      const tick = WEEK(2 + i);
      const hold = proxy.hold('POST', POSTS(channel.id), when);
      void tickChild(tick);
      await hold.held;
      await kill9();
      if (when === 'before-upstream') hold.drop();
      else hold.release();
      expect(postsOfWeek(tick), when).toHaveLength(when === 'after-upstream' ? 1 : 0);
      await startChild();
      await tickChild(tick + 2 * MINUTE);
      await tickChild(tick + 4 * MINUTE);
      await tickChild(tick + 30 * MINUTE);
      expect(postsOfWeek(tick), when).toHaveLength(1);
    }
  }, 120_000);
});
