import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
import { registerRoleConnectionMetadata } from '../../src/discord/roleConnectionMetadata.js';
import { startEncore, type Encore } from '../../src/encore.js';
import pino from 'pino';
import { createLogger } from '../../src/log.js';
import { freePort } from '../../src/net.js';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type EInteraction,
  type EUser,
  type RecordedMessage,
} from '../../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../../emulators/spotify/index.js';
import { startListenBrainzEmulator, type ListenBrainzEmulator } from '../../emulators/listenbrainz/index.js';
import { startLastfmEmulator, type LastfmEmulator } from '../../emulators/lastfm/server.js';

/** The sandbox operator's Last.fm API account (the config wants 32 hex characters each). */
const LASTFM_API_KEY = '5a4db0c0ffee5a4db0c0ffee5a4db0c0';
const LASTFM_SHARED_SECRET = '5ec7e75ec7e75ec7e75ec7e75ec7e700';
const DAY_SEC = 86_400;

/**
 * Who listens on ListenBrainz and Last.fm in the sandbox: months to years of history each, ending
 * when the sandbox starts. Kept to thousands of listens, not the emulators' 100,000-listen users, so
 * a backfill at the sources' real pace (Last.fm: 4 requests a second, 200 scrobbles each) takes
 * seconds in the tour; `npm run bench -- sources` times the big ones.
 */
export const SANDBOX_LISTENBRAINZ_USERS = [
  { name: 'lena', years: 2, perDay: 18, seed: 21 },
  { name: 'otto', years: 0.5, perDay: 9, seed: 22 },
  { name: 'quiet', years: 0, seed: 23 },
] as const;
const lastfmUsers = (endSec: number) => [
  { name: 'gwen', history: { count: 6_000, since: endSec - 2 * 365 * DAY_SEC, until: endSec, seed: 2 } },
  { name: 'hugo', history: { count: 900, since: endSec - 90 * DAY_SEC, until: endSec, sameSecond: 7, seed: 3 } },
  { name: 'frankie', history: { count: 4_000, since: endSec - 365 * DAY_SEC, until: endSec, seed: 1 } },
  // "Hide recent listening": connecting works, the sync stops and says why.
  { name: 'iris', history: { count: 500, since: endSec - 200 * DAY_SEC, until: endSec, seed: 4 }, private: true },
];

export interface Sandbox {
  encore: Encore;
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
  listenbrainz: ListenBrainzEmulator;
  lastfm: LastfmEmulator;
  guild: ReturnType<DiscordEmulator['addGuild']>;
  members: Map<string, EUser>;
  config: Config;
  /** Where the bot's JSON logs go (a file, so they never land in the prompt). */
  logFile: string;
  /** Calls `listener` with every message the bot creates or edits, DMs included, as it happens. */
  onMessage(listener: (message: RecordedMessage) => void): void;
  /** The sandbox's clock (emulated Spotify and the bot's charts): real time plus what `advance` added. */
  now(): number;
  /**
   * Fast-forwards time by `ms`: the Spotify emulator's users go on listening, and the history
   * collector runs as its minute ticks would (every `stepMs` of simulated time, an hour by default:
   * nobody plays 50 tracks in an hour, so nothing falls out of Spotify's window), and once a
   * simulated day the background genre resolver and the genre recount. The ListenBrainz and Last.fm
   * sync runs at each step too. Returns how many polls went to Spotify, how many requests to
   * ListenBrainz and Last.fm, and how many plays were stored.
   */
  advance(ms: number, stepMs?: number): Promise<{ polls: number; sourceRequests: number; plays: number }>;
  /**
   * Runs the ListenBrainz and Last.fm sync until no backfill is left (at the sources' real pace, as
   * the minute ticks would), without moving the clock. Returns the plays it stored.
   */
  syncSources(): Promise<{ plays: number }>;
  /** Resolves when the bot has finished handling the interaction. */
  settled(interaction: EInteraction): Promise<EInteraction>;
  stop(): Promise<void>;
}

/**
 * The four emulators (Discord, Spotify, ListenBrainz, Last.fm) with their seeded worlds, and Encore itself (startEncore, the same composition
 * as `npm start`) on the embedded store in data/sandbox. Throwaway secrets are generated; the
 * encryption key is kept beside the data so a restarted sandbox can still read its tokens.
 */
export async function startSandbox(
  dataDir = 'data/sandbox',
  logLevel = 'info',
  logFile = path.join(dataDir, 'encore.log'),
): Promise<Sandbox> {
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const keyFile = path.join(dataDir, 'encryption.key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  // The clock `advance` moves, kept beside the data: a restarted sandbox goes on at the same time.
  const clockFile = path.join(dataDir, 'clock-offset');
  let offset = existsSync(clockFile) ? Number(readFileSync(clockFile, 'utf8')) || 0 : 0;
  const now = () => Date.now() + offset;
  const spotify = await startSpotifyEmulator({ now });
  const discord = await startDiscordEmulator();
  const listenbrainz = await startListenBrainzEmulator({ now, users: SANDBOX_LISTENBRAINZ_USERS });
  const lastfm = await startLastfmEmulator({
    now,
    apiKey: LASTFM_API_KEY,
    sharedSecret: LASTFM_SHARED_SECRET,
    users: lastfmUsers(Math.floor(now() / 1000)),
  });
  // The emulator records every message the bot sends or edits in state.messages (one entry per
  // id, replaced on each edit): listening there shows DMs and progress edits as they happen.
  const listeners: Array<(message: RecordedMessage) => void> = [];
  const messages = discord.state.messages;
  const record = messages.set.bind(messages);
  messages.set = (id, message) => {
    record(id, message);
    for (const listener of listeners) listener(message);
    return messages;
  };
  const guild = discord.addGuild('Encore sandbox', ['general', 'digest']);
  const members = new Map(
    ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => [name, discord.addMember(guild, name)]),
  );
  members.set('shy', discord.addMember(guild, 'shy', { dmsClosed: true }));
  const port = await freePort();
  const parsed = parseConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.applicationId,
    SPOTIFY_CLIENT_ID: 'sandboxclient00000001',
    SPOTIFY_CLIENT_SECRET: 'sandboxsecret00000001',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ENCRYPTION_KEY: readFileSync(keyFile, 'utf8').trim(),
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: logLevel,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_CLIENT_SECRET: discord.oauth2.clientSecret,
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
    LISTENBRAINZ_API_URL: listenbrainz.url,
    LASTFM_API_KEY,
    LASTFM_SHARED_SECRET,
    LASTFM_API_URL: lastfm.apiUrl,
    LASTFM_AUTH_URL: lastfm.authUrl,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const waiting = new Map<string, () => void>();
  const done = new Set<string>();
  const encore = await startEncore({
    config: parsed.config,
    log: createLogger(logLevel, pino.destination({ dest: logFile, append: true, sync: true })),
    host: '127.0.0.1',
    clock: now,
    discordHooks: {
      onSettled(id) {
        done.add(id);
        waiting.get(id)?.();
      },
    },
  });
  // What `npm run deploy-commands -- --guild ID` does against real Discord.
  await encore.discord.client.rest.put(`/applications/${discord.applicationId}/guilds/${guild.id}/commands`, {
    body: [...encore.discord.commands.values()].map((c) => c.data.toJSON()),
  });
  await registerRoleConnectionMetadata(encore.discord.client.rest, discord.applicationId);
  const plays = async () =>
    Number((await encore.store.pool.query<{ n: string }>('SELECT count(*) AS n FROM plays')).rows[0]!.n);
  const sourceRequests = () => listenbrainz.requests.length + lastfm.requests.length;
  return {
    encore,
    spotify,
    discord,
    listenbrainz,
    lastfm,
    guild,
    members,
    config: parsed.config,
    logFile,
    onMessage: (listener) => listeners.push(listener),
    now,
    async advance(ms, stepMs = 60 * 60_000) {
      const recent = () => spotify.requests.filter((r) => r.path === '/me/player/recently-played').length;
      const [pollsBefore, sourceBefore, playsBefore] = [recent(), sourceRequests(), await plays()];
      const end = now() + ms;
      // Once a simulated day: the background genre resolver (hourly in production) learns the
      // collected artists' genres, and the daily recount reclassifies their plays.
      const daily = async () => {
        await encore.jobs.runNow('resolve-genres', new Date(now()));
        await encore.jobs.runNow('reclassify-history', new Date(now()));
      };
      let nextDay = now() + 86_400_000;
      while (now() < end) {
        offset += Math.min(stepMs, end - now());
        await encore.jobs.runNow('collect-history', new Date(now()));
        await encore.jobs.runNow('sync-sources', new Date(now()));
        if (now() >= nextDay) {
          await daily();
          nextDay += 86_400_000;
        }
      }
      await daily();
      writeFileSync(clockFile, String(offset));
      return {
        polls: recent() - pollsBefore,
        sourceRequests: sourceRequests() - sourceBefore,
        plays: (await plays()) - playsBefore,
      };
    },
    async syncSources() {
      const before = await plays();
      const backfilling = async () =>
        Number(
          (
            await encore.store.pool.query<{ n: string }>(
              `SELECT count(*) AS n FROM source_sync WHERE status = 'ok' AND NOT backfill_done`,
            )
          ).rows[0]!.n,
        );
      // A tick stops after its budget; a Last.fm backfill of thousands of scrobbles may need a few.
      for (let tick = 0; tick < 20 && (tick === 0 || (await backfilling()) > 0); tick++)
        await encore.jobs.runNow('sync-sources', new Date(now()));
      return { plays: (await plays()) - before };
    },
    settled: (interaction) =>
      new Promise((resolve) => {
        if (done.has(interaction.id)) return resolve(interaction);
        waiting.set(interaction.id, () => resolve(interaction));
      }),
    async stop() {
      await encore.stop(10_000);
      await discord.close();
      await spotify.close();
      await listenbrainz.close();
      await lastfm.close();
    },
  };
}
