import { Router } from 'express';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { startLink } from './app/accounts/linking.js';
import { relinkNudges, type NudgeDeps } from './jobs/relinkNudges.js';
import type { Client } from 'discord.js';
// discord.js before the chart modules: under vitest's module loader, loading vega first breaks
// the copy of util.inspect that discord.js's event emitter bundles (it throws at import).
import { sendDm } from './discord/dm.js';
import { editOriginalReply } from './discord/interactionReply.js';
import { brandEmbed } from './discord/replies.js';
import type { RouterHooks } from './discord/router.js';
import type { Services } from './discord/services.js';
import { startDiscord, type RunningDiscord } from './discord/start.js';
import { createChartRenderer } from './charts/index.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { linkingRouter } from './http/linking/routes.js';
import { listen, type RunningServer } from './http/server.js';
import { resumeSorts } from './jobs/resumeSorts.js';
import { startJobs, type Scheduler } from './jobs/scheduler.js';
import { runShutdown, type ShutdownStep } from './lifecycle.js';
import type { Logger } from './log.js';
import { createSpotifyGateway, type SpotifyGateway } from './spotify/index.js';
import { openStore, type Store } from './store/index.js';
import { createAccounts } from './wiring/accounts.js';
import { createSortService } from './wiring/sort.js';
import { createHistoryFeature } from './wiring/history.js';
import { createMusicBrainzClient } from './musicbrainz/index.js';

/** Sent to MusicBrainz in the User-Agent it requires. */
const ENCORE_VERSION = '0.1.0';
import { createPrivacyRepository } from './store/accounts/privacyRepository.js';
import { privacyOf } from './app/privacy/privacy.js';
import { privacyMessage } from './discord/privacyMessage.js';

export interface Encore {
  readonly store: Store;
  readonly http: RunningServer;
  readonly discord: RunningDiscord;
  readonly gateway: SpotifyGateway;
  readonly services: Services;
  /** The scheduled jobs; runNow(name, at) runs one at once (operators, tests). */
  readonly jobs: Scheduler;
  /** Stops everything in order (jobs → gateway → HTTP → store); false if the deadline passed. */
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
}

/**
 * The composition root shared by `npm start`, the sandbox and end-to-end tests:
 * config → store → spotify → charts → discord → http → jobs.
 */
export async function startEncore({ config, log, host, commandsDir, discordHooks, spotifyLimits }: StartOptions): Promise<Encore> {
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
      ...spotifyLimits,
    });
    const charts = createChartRenderer();
    steps.push({ name: 'chart workers', run: () => charts.close() });
    if (charts.backendReason) log.info({ renderer: charts.backend, reason: charts.backendReason }, `charts render with ${charts.backend}`);
    let client: Client | undefined;
    /** A DM with a fresh one-time link, for a link that ended or is about to. */
    const sendRelink = async (discordUserId: string, url: string, text: string) => {
      const button = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link Spotify again'));
      return (await services.sendDm!(discordUserId, { embeds: [brandEmbed({ title: 'Renew your Spotify link', description: text })], components: [button] })) === 'sent';
    };
    const accounts = createAccounts({
      store,
      gateway,
      encryptionKeys: [config.ENCRYPTION_KEY],
      publicUrl: config.PUBLIC_URL,
      userCap: config.SPOTIFY_USER_CAP,
      async onLinkDied(discordUserId) {
        const { url } = await startLink(accounts.linking, discordUserId);
        await sendRelink(discordUserId, url, 'Spotify ended your link (it does that six months after you approve Encore). Your history is kept: link again and everything carries on. This link works once, for ten minutes — or run /link any time.');
      },
    });

    const history = createHistoryFeature({ store, gateway, accounts, log });
    const services: Services = {
      log,
      publicUrl: config.PUBLIC_URL,
      charts,
      accounts,
      sort: createSortService({
        store,
        gateway,
        accounts,
        musicbrainz: createMusicBrainzClient({ baseUrl: config.MUSICBRAINZ_URL, version: ENCORE_VERSION, contactUrl: config.PUBLIC_URL }),
      }),
      privacy: createPrivacyRepository(store),
      history: history.service,
      sendDm: (userId, message) => (client ? sendDm(client, userId, message) : Promise.resolve('closed')),
      editOriginalReply: (ref, message) => (client ? editOriginalReply(client, ref, message) : Promise.resolve(false)),
    };

    const metrics = Router().get('/metrics', (_req, res) => res.json({ spotify: gateway.metrics(), quotaResumesAt: gateway.quotaResumesAt() ?? null }));
    const linking = linkingRouter({
      ...accounts.linking,
      log: log.child({ module: 'linking' }),
      async onLinked(result) {
        const guildName = result.guildId ? client?.guilds.cache.get(result.guildId)?.name : undefined;
        const controls = privacyMessage(await privacyOf(services.privacy!, result.discordUserId), result.guildId ? { id: result.guildId, name: guildName ?? 'your server' } : undefined);
        await services.sendDm!(result.discordUserId, {
          embeds: [
            brandEmbed({ title: `Linked as ${result.displayName}`, description: `You’re all set. Try **/chart** or **/sort**. Spotify ends links after six months: I’ll remind you to renew before <t:${Math.floor(result.renewBy / 1000)}:D>.` }),
            ...controls.embeds,
          ],
          components: controls.components,
        });
      },
    });
    const app = createHttpApp({ log, store, routers: [linking, metrics], info: () => ({ discord: { ready: client?.isReady() ?? false }, charts: { renderer: charts.backend } }) });
    const http = await listen(app, config.PORT, host);
    steps.push({ name: 'http', run: () => http.close(5_000) });
    log.info({ port: http.port }, 'http listening');

    const discord = await startDiscord({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL, services, log, commandsDir, hooks: discordHooks });
    client = discord.client;
    steps.push({ name: 'discord gateway', run: () => discord.stop() });

    const jobs = startJobs<{ services: Services } & NudgeDeps>(
      [resumeSorts, relinkNudges, ...history.jobs],
      {
        services,
        linking: accounts.linking,
        sendRelink: (userId, url, endsAt) =>
          sendRelink(userId, url, `Spotify will end your link <t:${Math.floor(endsAt / 1000)}:R> (six months after you approved Encore). Link again now and nothing is interrupted. This link works once, for ten minutes — or run /link any time.`),
      },
      { log, claims: store.claims, ready: Promise.resolve() },
    );
    steps.push({ name: 'jobs', run: () => jobs.stop() });
    // First to stop: running sorts finish the write under way and stay resumable.
    steps.push({ name: 'sort runs', run: () => services.sort?.stop() ?? Promise.resolve() });
    void jobs.runNow('resume-sorts').catch(() => {}); // pick up sorts a restart interrupted

    return { store, http, discord, gateway, services, jobs, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}
