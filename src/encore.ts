import { Router } from 'express';
import type { Client } from 'discord.js';
// discord.js before the chart modules: under vitest's module loader, loading vega first breaks
// the copy of util.inspect that discord.js's event emitter bundles (it throws at import).
import { sendDm } from './discord/dm.js';
import { editOriginalReply } from './discord/interactionReply.js';
import type { RouterHooks } from './discord/router.js';
import { guildNameOf } from './discord/client.js';
import { startDiscord, type RunningDiscord } from './discord/start.js';
import { createPersonalDataRegistry } from './app/accounts/personalData.js';
import type { Services } from './app/services.js';
import { createChartRenderer } from './charts/index.js';
import { shardPlan, type Config } from './config.js';
import { newInstanceId } from './instanceId.js';
import { FEATURES, type DiscordPort, type Feature, type FeatureContext } from './features/index.js';
import { createHttpApp } from './http/app.js';
import { listen, type RunningServer } from './http/server.js';
import { startJobs, type Scheduler, type TickSource } from './jobs/scheduler.js';
import { runShutdown, type ShutdownStep } from './lifecycle.js';
import type { Logger } from './log.js';
import { createMusicBrainzClient, type RequestSpacer } from './musicbrainz/index.js';
import { sourceClients } from './sourceClients.js';
import { createSpotifyGateway, type SpotifyGateway } from './spotify/index.js';
import { openStore, type Store } from './store/index.js';
import { createSharedRateLimit } from './store/sharedRateLimit.js';
import { ENCORE_VERSION } from './version.js';

export interface Encore {
  readonly store: Store;
  readonly http: RunningServer;
  readonly discord: RunningDiscord;
  readonly gateway: SpotifyGateway;
  readonly services: Services;
  /** The scheduled jobs; runNow(name, at) runs one at once (operators, tests). */
  readonly jobs: Scheduler;
  /** Stops everything in order (feature work → jobs → gateway → HTTP → store); false if the deadline passed. */
  stop(deadlineMs?: number): Promise<boolean>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  /** Bind address for HTTP; tests and the sandbox use 127.0.0.1. */
  host?: string;
  commandsDir?: string;
  discordHooks?: RouterHooks;
  /** Pacing and budget for the Spotify gateway; defaults suit a development-mode app. */
  spotifyLimits?: { concurrency?: number; perSecond?: number; dailyBudget?: number };
  /** MusicBrainz's 1 request/s spacer; the process-wide one by default (tests put one on a clock they move). */
  musicbrainzSpacer?: RequestSpacer;
  /** The clock of Spotify requests (budget, quota) and of chart periods; the sandbox fast-forwards it. */
  clock?: () => number;
  /** Where scheduled ticks come from; node-cron on the wall clock by default (tests fire them by hand). */
  jobTicks?: TickSource;
}

/**
 * The composition root shared by `npm start`, the sandbox and end-to-end tests: the platform
 * (store → Spotify → charts), then every feature in src/features (services, jobs, routes, personal
 * data), then HTTP → Discord → jobs. It grows with the platform, never with a feature.
 */
export async function startEncore({
  config,
  log,
  host,
  commandsDir,
  discordHooks,
  spotifyLimits,
  clock,
  musicbrainzSpacer,
  jobTicks,
}: StartOptions): Promise<Encore> {
  const steps: ShutdownStep[] = [];
  const stop = (deadlineMs?: number) => runShutdown([...steps].reverse(), log, deadlineMs);
  try {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
    steps.push({ name: 'store', run: () => store.close() });
    const gateway = createSpotifyGateway({
      apiUrl: config.SPOTIFY_API_URL,
      accountsUrl: config.SPOTIFY_ACCOUNTS_URL,
      clientId: config.SPOTIFY_CLIENT_ID,
      clientSecret: config.SPOTIFY_CLIENT_SECRET,
      store,
      log,
      sharedRate: createSharedRateLimit(store.pool),
      ...spotifyLimits,
      ...(clock ? { now: clock } : {}),
    });
    const charts = createChartRenderer({ workers: config.CHART_WORKERS });
    steps.push({ name: 'chart workers', run: () => charts.close() });
    if (charts.backendReason)
      log.info({ renderer: charts.backend, reason: charts.backendReason }, `charts render with ${charts.backend}`);
    const musicbrainz = createMusicBrainzClient({
      baseUrl: config.MUSICBRAINZ_URL,
      version: ENCORE_VERSION,
      contactUrl: config.PUBLIC_URL,
      ...(musicbrainzSpacer ? { spacer: musicbrainzSpacer } : {}),
    });

    // Discord comes up after HTTP (the OAuth pages must answer first); features reach it through this port.
    let client: Client | undefined;
    let discord: RunningDiscord | undefined;
    const discordPort: DiscordPort = {
      sendDm: (userId, message) => (client ? sendDm(client, userId, message) : Promise.resolve('closed')),
      editOriginalReply: (ref, message) => (client ? editOriginalReply(client, ref, message) : Promise.resolve(false)),
      guildName: (guildId) => client?.guilds.cache.get(guildId)?.name,
      fetchGuildName: (guildId) => (client ? guildNameOf(client, guildId) : Promise.resolve(undefined)),
      client: () => client,
      // Before the gateway is up nothing is owned: guild work waits for the next tick.
      ownsGuild: (guildId) => discord?.ownsGuild(guildId) ?? false,
    };
    const personalData = createPersonalDataRegistry();
    const services: Services = {
      log,
      publicUrl: config.PUBLIC_URL,
      charts,
      personalData,
      sendDm: discordPort.sendDm,
      editOriginalReply: discordPort.editOriginalReply,
      now: clock ?? Date.now,
    };
    const context: FeatureContext = {
      config,
      log,
      store,
      gateway,
      charts,
      musicbrainz,
      sources: sourceClients(config),
      discord: discordPort,
      services,
      instanceId: newInstanceId(),
    };
    const features: Feature[] = [];
    for (const build of FEATURES) {
      const feature = build(context);
      features.push(feature);
      Object.assign(services, feature.services);
      context.accounts ??= feature.accounts;
    }
    for (const kind of features.flatMap((f) => [...(f.personalData ?? [])])) personalData.register(kind);
    for (const kind of features.flatMap((f) => [...(f.personalDataLast ?? [])])) personalData.register(kind);

    const metrics = Router().get('/metrics', (_req, res) =>
      res.json({
        spotify: gateway.metrics(),
        quotaResumesAt: gateway.quotaResumesAt() ?? null,
        discord: { shardCount: client?.options.shardCount ?? null, shards: discord?.shards() ?? [] },
      }),
    );
    const app = createHttpApp({
      log,
      store,
      routers: [...features.flatMap((f) => [...(f.routers ?? [])]), metrics],
      info: () => ({
        discord: {
          ready: client?.isReady() ?? false,
          shardCount: client?.options.shardCount ?? null,
          shards: discord?.shards() ?? [],
        },
        charts: { renderer: charts.backend },
      }),
    });
    const http = await listen(app, config.PORT, host);
    steps.push({ name: 'http', run: () => http.close(5_000) });
    log.info({ port: http.port }, 'http listening');

    const running = await startDiscord({
      token: config.DISCORD_TOKEN,
      apiUrl: config.DISCORD_API_URL,
      services,
      log,
      commandsDir,
      hooks: discordHooks,
      memberEvents: config.DISCORD_MEMBERS_INTENT ?? false,
      ...shardPlan(config),
    });
    discord = running;
    client = running.client;
    steps.push({ name: 'discord gateway', run: () => running.stop() });

    const jobs = startJobs<unknown>(
      features.flatMap((f) => [...(f.jobs ?? [])]),
      undefined,
      {
        log,
        claims: store.claims,
        instanceId: context.instanceId,
        ready: Promise.resolve(),
        ...(jobTicks ? { ticks: jobTicks } : {}),
      },
    );
    steps.push({ name: 'jobs', run: () => jobs.stop() });
    // Pushed last, so stopped first: work under way (a sort) stops at a safe point and stays resumable.
    for (const feature of features)
      if (feature.stop) steps.push({ name: `${feature.name} work`, run: () => feature.stop!() });
    for (const feature of features) feature.started?.(jobs);

    return { store, http, discord: running, gateway, services, jobs, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}
