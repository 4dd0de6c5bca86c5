import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../src/config.js';
import { startEncore } from '../src/encore.js';
import { freePort } from '../src/net.js';
import type { EInteraction, EUser } from '../emulators/discord/index.js';
import { startSpotifyEmulator, type SpotifyEmulator } from '../emulators/spotify/index.js';
import { startBotHarness, type BotHarness } from '../scripts/support/botHarness.js';
import { followLinkPage } from '../scripts/support/linkPage.js';
import { createLogger } from '../src/log.js';
import { table } from './support.js';

/**
 * Issue 10 item 9: is the Spotify pacer fair between members? Through the whole bot (startEncore,
 * the real discord.js on the Discord emulator, the Spotify emulator with a realistic latency and
 * the production pacing of 6 in flight and 20 requests/s): five linked members; one runs a
 * 1,000-track /sort preview ('roadtrip1000') on a cold genre cache while the other four send 100
 * /chart requests spread over 30 s. /chart time to the final answer, with and without the sort.
 */
const LATENCY_MS = 100;
const LIMITS = { concurrency: 6, perSecond: 20, dailyBudget: 10_000_000 };
const CHARTS = 100;
const SPREAD_MS = 30_000;
const UNFINISHED_AFTER_MS = 30_000;
/** Charts still waiting are followed this long, so the table shows how late they really were. */
const GIVE_UP_MS = 120_000;
const TARGET_P95_MS = 1_000;
const KINDS = ['top-genres', 'top-artists', 'top-tracks'] as const;

/** Figures this bench printed on the process-wide FIFO pacer (commit 270e869, before issue 10 item 9), same machine. */
const BEFORE = {
  sortAloneMs: 48_926,
  sortWithChartsMs: 49_926,
  charts: { p50: 37_897, p95: 51_802, max: 54_528, unfinished: 76 },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ChartRun {
  times: number[];
  unfinished: number;
  errors: number;
}

/** Resolves when the interaction's reply reached its final state (an edit after the defer). */
async function settled(
  i: EInteraction,
  done: (i: EInteraction) => boolean,
  giveUpMs: number,
): Promise<number | undefined> {
  while (!done(i)) {
    if (Date.now() - i.createdAt > giveUpMs) return undefined;
    await sleep(10);
  }
  return i.original!.at - i.createdAt;
}
const chartDone = (i: EInteraction) => i.original?.via === 'edit';
const sortDone = (i: EInteraction) =>
  !!i.original &&
  (i.original.files.length > 0 ||
    i.original.components.length > 0 ||
    /couldn|wrong|sorry/i.test(JSON.stringify(i.original.embeds)));

type Bot = BotHarness & {
  spotify: SpotifyEmulator;
  databaseUrl: string;
  link(member: EUser, spotifyUser: string): Promise<number>;
};

/** The whole of Encore (startEncore) on a fresh database, logged into both emulators, as test/support/encoreHarness.ts does outside vitest. */
async function startBot(): Promise<Bot> {
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `encore_bench_${randomBytes(4).toString('hex')}`;
  const adminQuery = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const spotify = await startSpotifyEmulator({ latencyMs: LATENCY_MS });
  const bot = await startBotHarness({
    async startBot(emulator, hooks) {
      const port = await freePort();
      const config: Config = Object.freeze({
        DISCORD_TOKEN: emulator.token,
        DISCORD_APP_ID: emulator.applicationId,
        SPOTIFY_CLIENT_ID: 'encorebenchclient001',
        SPOTIFY_CLIENT_SECRET: 'encorebenchsecret001',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: databaseUrl,
        DATA_DIR: '/nonexistent',
        ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        PORT: port,
        LOG_LEVEL: 'silent',
        SPOTIFY_USER_CAP: 5,
        DISCORD_API_URL: emulator.apiUrl,
        SPOTIFY_API_URL: spotify.apiUrl,
        SPOTIFY_ACCOUNTS_URL: spotify.accountsUrl,
        MUSICBRAINZ_URL: undefined,
      });
      const encore = await startEncore({
        config,
        log: createLogger('silent'),
        host: '127.0.0.1',
        discordHooks: hooks,
        spotifyLimits: LIMITS,
      });
      return {
        discord: encore.discord,
        async close() {
          await encore.stop(10_000);
          await spotify.close();
          await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
  });
  return {
    ...bot,
    spotify,
    databaseUrl,
    async link(member, spotifyUser) {
      const before = bot.dmsOf(member).length;
      const seen = await bot.invoke('/link', {}, member);
      const carrier = bot.dmsOf(member)[before] ?? seen.final!;
      const linkUrl = (carrier.components[0] as { components: Array<{ url: string }> }).components[0]!.url;
      const { status, authorizeUrl } = await followLinkPage(linkUrl);
      if (!authorizeUrl) return status;
      return (await fetch(await spotify.consent({ authorizeUrl, userId: spotifyUser }))).status;
    },
  };
}

async function charts(h: Bot, members: EUser[]): Promise<ChartRun> {
  const waits: Array<Promise<{ ms?: number; error: boolean }>> = [];
  for (let n = 0; n < CHARTS; n++) {
    await sleep(SPREAD_MS / CHARTS);
    const i = h.emulator.chatInput('chart', { kind: KINDS[n % KINDS.length] }, members[n % members.length]!, {
      guild: h.guild,
    });
    waits.push(
      settled(i, chartDone, GIVE_UP_MS).then((ms) => ({
        ms,
        error: ms !== undefined && i.original!.files.length === 0,
      })),
    );
  }
  const results = await Promise.all(waits);
  return {
    times: results.map((r) => r.ms ?? Infinity).sort((a, b) => a - b),
    unfinished: results.filter((r) => (r.ms ?? Infinity) > UNFINISHED_AFTER_MS).length,
    errors: results.filter((r) => r.error).length,
  };
}

async function sortPreview(h: Bot, member: EUser): Promise<number> {
  const i = h.emulator.chatInput('sort', { playlist: 'roadtrip1000', min_tracks: 10 }, member, { guild: h.guild });
  const ms = await settled(i, sortDone, 300_000);
  if (ms === undefined || i.original!.files.length === 0)
    throw new Error(`the sort preview did not finish: ${JSON.stringify(i.original?.embeds ?? i.history)}`);
  return ms;
}

export default async function bench(): Promise<void> {
  const h = await startBot();
  const db = new pg.Client({ connectionString: h.databaseUrl });
  await db.connect();
  const coldGenres = () => db.query(`DELETE FROM keyv WHERE key LIKE 'artist-genres:%'`);
  try {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const members = names.map((n) => h.member(`${n}-fair`));
    for (const [k, m] of members.entries())
      if ((await h.link(m, names[k]!)) !== 200) throw new Error(`could not link ${names[k]}`);
    const [sorter, ...others] = members as [EUser, ...EUser[]];
    // Warm the chart renderer and every member's token refresh path once.
    await Promise.all(
      others.map((m) =>
        settled(h.emulator.chatInput('chart', { kind: 'top-artists' }, m, { guild: h.guild }), chartDone, 60_000),
      ),
    );

    await coldGenres();
    const baseline = await charts(h, others);

    await coldGenres();
    const sortAlone = await sortPreview(h, sorter);

    await coldGenres();
    const firstRequest = h.spotify.requests.length;
    const sorting = sortPreview(h, sorter);
    await sleep(1_000);
    const during = await charts(h, others);
    const sortWithCharts = await sorting;
    const chartRequests = h.spotify.requests.slice(firstRequest).filter((r) => r.userId && r.userId !== 'alice').length;

    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : `>${GIVE_UP_MS}`);
    const pct = (xs: number[], p: number) => xs[Math.ceil((p / 100) * xs.length) - 1]!;
    const row = (label: string, r: ChartRun) => {
      const met = r.unfinished === 0 && pct(r.times, 95) <= TARGET_P95_MS;
      return [
        label,
        ms(pct(r.times, 50)),
        ms(pct(r.times, 95)),
        ms(r.times.at(-1)!),
        String(r.unfinished),
        String(r.errors),
        met ? 'met' : 'missed',
      ];
    };
    console.log(
      `/chart time to final answer (ms), ${CHARTS} requests from 4 members over ${SPREAD_MS / 1000} s; target: p95 ≤ ${TARGET_P95_MS} ms, none unfinished after ${UNFINISHED_AFTER_MS / 1000} s`,
    );
    const b = BEFORE.charts;
    table([
      ['scenario', 'p50', 'p95', 'max', `unfinished after ${UNFINISHED_AFTER_MS / 1000} s`, 'errors', 'target'],
      row('no sort (baseline)', baseline),
      row('during a 1,000-track /sort preview', during),
      ['  (FIFO pacer, recorded)', String(b.p50), String(b.p95), String(b.max), String(b.unfinished), '0', 'missed'],
    ]);
    const vs = (now: number, before: number) =>
      before
        ? `${now} ms (FIFO pacer: ${before} ms, ${now >= before ? '+' : ''}${(((now - before) / before) * 100).toFixed(0)} %)`
        : `${now} ms`;
    console.log(
      `/sort preview of roadtrip1000, cold genre cache: alone ${vs(sortAlone, BEFORE.sortAloneMs)}; with the charts running ${vs(sortWithCharts, BEFORE.sortWithChartsMs)}`,
    );
    console.log(
      `the charts during the sort made ${chartRequests} Spotify requests: ${((chartRequests / LIMITS.perSecond) * 1000).toFixed(0)} ms of the pacer at ${LIMITS.perSecond}/s, which the sort now waits for instead of the charts waiting for the sort`,
    );
    console.log(
      `(Spotify emulator latency ${LATENCY_MS} ms; pacer ${LIMITS.concurrency} in flight, ${LIMITS.perSecond} requests/s)`,
    );
  } finally {
    await db.end();
    await h.close();
  }
}
