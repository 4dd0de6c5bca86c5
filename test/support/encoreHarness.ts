import { cronTicks, type TickSource } from '../../src/jobs/scheduler.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../../src/config.js';
import type { RequestSpacer } from '../../src/musicbrainz/index.js';
import { freePort } from '../../src/net.js';
import { startEncore, type Encore } from '../../src/encore.js';
import {
  startSpotifyEmulator,
  type SpotifyEmulator,
  type SpotifyEmulatorOptions,
} from '../../emulators/spotify/index.js';
import type { EUser } from '../../emulators/discord/index.js';
import { startBotHarness, type BotHarness } from './botHarness.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { followLinkPage } from './linkPage.js';
import { manualTicks, type ManualTicks } from './manualTicks.js';
import { linkUrl } from './messages.js';

export interface EncoreHarness extends BotHarness {
  encore: Encore;
  spotify: SpotifyEmulator;
  config: Config;
  /**
   * The scheduled jobs' ticks, fired by hand: `await h.ticks.tick('job-name', new Date(at))`. Throws
   * when the test chose its own source (`jobTicks`) or the wall clock (`realTimeTicks`).
   */
  ticks: ManualTicks;
  /** Links a member the way a person does: /link, the DM's link, its Continue button, Spotify's consent, the callback page. */
  link(member: EUser, spotifyUser: string, options?: { approve?: boolean }): Promise<{ status: number; html: string }>;
}

/** The whole of Encore (startEncore) on a fresh database, logged into both emulators. */
/** Spotify limits for tests: no pacing delay, a budget that never runs out unless a test sets one. */
export const TEST_SPOTIFY_LIMITS = { concurrency: 8, perSecond: 10_000, dailyBudget: 1_000_000 };

export async function startEncoreHarness(
  options: {
    spotify?: SpotifyEmulatorOptions;
    config?: Partial<Config>;
    spotifyLimits?: { concurrency?: number; perSecond?: number; dailyBudget?: number };
    discordNow?: () => number;
    /** The bot's clock for Spotify requests and chart periods (startEncore's `clock`). */
    clock?: () => number;
    /** MusicBrainz's request spacer (startEncore's `musicbrainzSpacer`). */
    musicbrainzSpacer?: RequestSpacer;
    /**
     * Where scheduled ticks come from (startEncore's `jobTicks`). Default: `h.ticks`, fired only by
     * the test, so no cron minute passing on the wall clock can run a job mid-test.
     */
    jobTicks?: TickSource;
    /** Opt-in: node-cron on the wall clock, as in production (jobs run whenever the real minute comes). */
    realTimeTicks?: true;
  } = {},
): Promise<EncoreHarness> {
  if (options.jobTicks && options.realTimeTicks) throw new Error('jobTicks and realTimeTicks: choose one');
  const ownTicks = manualTicks();
  const jobTicks = options.realTimeTicks ? cronTicks : (options.jobTicks ?? ownTicks.source);
  const db: TestDatabase = await createTestDatabase();
  const spotify = await startSpotifyEmulator(options.spotify);
  let encore!: Encore;
  let config!: Config;
  const bot = await startBotHarness({
    discordNow: options.discordNow,
    async startBot(emulator, hooks, log) {
      // PUBLIC_URL must name the port the bot listens on (links and the OAuth redirect use it).
      const port = await freePort();
      config = Object.freeze({
        DISCORD_TOKEN: emulator.token,
        DISCORD_APP_ID: emulator.applicationId,
        SPOTIFY_CLIENT_ID: 'encoretestclient0001',
        SPOTIFY_CLIENT_SECRET: 'encoretestsecret0001',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: db.url,
        DATA_DIR: '/nonexistent',
        ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        PORT: port,
        LOG_LEVEL: 'debug',
        SPOTIFY_USER_CAP: 5,
        DISCORD_API_URL: emulator.apiUrl,
        SPOTIFY_API_URL: spotify.apiUrl,
        SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
        MUSICBRAINZ_URL: undefined,
        // Off unless a test starts its emulator: the real ListenBrainz is never asked from a test.
        LISTENBRAINZ_ENABLED: false,
        ...options.config,
      });
      encore = await startEncore({
        config,
        log,
        host: '127.0.0.1',
        discordHooks: hooks,
        spotifyLimits: { ...TEST_SPOTIFY_LIMITS, ...options.spotifyLimits },
        clock: options.clock,
        musicbrainzSpacer: options.musicbrainzSpacer,
        jobTicks,
      });
      return {
        discord: encore.discord,
        async close() {
          await encore.stop(10_000);
          await spotify.close();
          await db.drop();
        },
      };
    },
  });
  return {
    ...bot,
    encore,
    spotify,
    get config() {
      return config;
    },
    get ticks() {
      if (jobTicks !== ownTicks.source)
        throw new Error(
          `h.ticks: this harness takes its ticks from ${options.realTimeTicks ? 'the wall clock' : 'jobTicks'}`,
        );
      return ownTicks;
    },
    async link(member, spotifyUser, linkOptions = {}) {
      const before = bot.dmsOf(member).length;
      const seen = await bot.invoke('/link', {}, member);
      const dm = bot.dmsOf(member)[before];
      const carrier = dm ?? seen.final!;
      const url = linkUrl(carrier);
      const { status, html, authorizeUrl } = await followLinkPage(url);
      if (!authorizeUrl) return { status, html };
      const callback = await spotify.consent({
        authorizeUrl,
        userId: spotifyUser,
        approve: linkOptions.approve ?? true,
      });
      const page = await fetch(callback);
      return { status: page.status, html: await page.text() };
    },
  };
}

type HarnessOptions = Parameters<typeof startEncoreHarness>[0];

/**
 * The whole bot for the current test file: started in beforeAll (options may be computed then, after
 * the file's earlier set-up), closed in afterAll. The harness it returns may be used from beforeAll
 * on; using it earlier throws.
 */
export function useEncoreHarness(options: HarnessOptions | (() => HarnessOptions) = {}): EncoreHarness {
  let harness: EncoreHarness | undefined;
  beforeAll(async () => {
    harness = await startEncoreHarness(typeof options === 'function' ? options() : options);
  }, 60_000);
  afterAll(() => harness?.close());
  // When a test fails, what the bot logged at warn and above is the first thing one wants to read.
  afterEach((context) => {
    if (context.task.result?.state !== 'fail' || !harness) return;
    const lines = harness.log.lines().filter((l) => Number(l.level) >= 40);
    if (lines.length)
      console.error(
        `bot log (warn and above) for "${context.task.name}":\n${lines
          .slice(-20)
          .map((l) => JSON.stringify(l).slice(0, 600))
          .join('\n')}`,
      );
  });
  return new Proxy({} as EncoreHarness, {
    get(_target, key) {
      if (!harness) throw new Error('the Encore harness starts in beforeAll');
      const value: unknown = Reflect.get(harness, key, harness);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(harness) : value;
    },
  });
}

/** Runs /link as `member` and returns the one-time link from the DM it sends. */
export async function requestLinkUrl(h: BotHarness, member: EUser): Promise<string> {
  await h.invoke('/link', {}, member);
  return linkUrl(h.dmsOf(member).at(-1)!);
}
