import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
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

export interface Sandbox {
  encore: Encore;
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
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
   * simulated day the background genre resolver and the genre recount. Returns how many polls went
   * to Spotify and how many plays were stored.
   */
  advance(ms: number, stepMs?: number): Promise<{ polls: number; plays: number }>;
  /** Resolves when the bot has finished handling the interaction. */
  settled(interaction: EInteraction): Promise<EInteraction>;
  stop(): Promise<void>;
}

/**
 * Both emulators with their seeded worlds, and Encore itself (startEncore, the same composition
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
  const members = new Map(['alice', 'bob', 'carol', 'dave'].map((name) => [name, discord.addMember(guild, name)]));
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
    SPOTIFY_API_URL: spotify.apiUrl,
    SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
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
  return {
    encore,
    spotify,
    discord,
    guild,
    members,
    config: parsed.config,
    logFile,
    onMessage: (listener) => listeners.push(listener),
    now,
    async advance(ms, stepMs = 60 * 60_000) {
      const recent = () => spotify.requests.filter((r) => r.path === '/me/player/recently-played').length;
      const plays = async () =>
        Number((await encore.store.pool.query<{ n: string }>('SELECT count(*) AS n FROM plays')).rows[0]!.n);
      const [pollsBefore, playsBefore] = [recent(), await plays()];
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
        if (now() >= nextDay) {
          await daily();
          nextDay += 86_400_000;
        }
      }
      await daily();
      writeFileSync(clockFile, String(offset));
      return { polls: recent() - pollsBefore, plays: (await plays()) - playsBefore };
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
    },
  };
}
