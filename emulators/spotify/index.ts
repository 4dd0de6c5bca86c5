import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { accountsRouter, issueTokens, type AccountsState } from './accounts.js';
import { apiRouter } from './api.js';
import { createCovers, type EmulatedCovers } from './covers.js';
import { userExtendedHistoryZip, type ExtendedExportOptions } from './export.js';
import { createListening, type Listening, type ListeningProfile } from './listening.js';
import { addListeners, addNewReleases } from './suggestWorld.js';
import { apiGuards } from './rules.js';
import { ALLOWLISTED, seedWorld, type World } from './seed.js';
import type { EmulatorControl, Fault, RequestRecord } from './state.js';

export type { Fault, RequestRecord } from './state.js';
export type { EmulatedPlay, Listening, ListeningProfile } from './listening.js';
export { extendedHistoryEntries, extendedHistoryZip, syntheticPlays, type ExtendedExportOptions } from './export.js';
export { ALLOWLISTED, NOT_ALLOWLISTED } from './seed.js';

export interface SpotifyEmulatorOptions {
  port?: number;
  seed?: number;
  /** Users registered in the app's dashboard; default alice, bob, carol, dave, erin (not mallory). */
  allowlist?: string[];
  latencyMs?: number;
  now?: () => number;
  /** Daily request quota; default large enough never to trip unless a test lowers it. */
  quota?: number;
  /** When set, the token endpoint checks these credentials. */
  client?: { id: string; secret: string };
  /** How seeded users listen (hours a day, time zone); defaults in listening.ts. */
  listening?: Record<string, Partial<ListeningProfile>>;
  /** Extra users listener1 … listenerN (suggestWorld.ts), for evaluations that need a crowd. */
  listeners?: number;
  /** Planted taste clusters across users (listening.ts); 0 by default: independent tastes. */
  clusters?: number;
  /** Recent albums added to the catalogue, released in the 60 days before the clock's start (some are `tag:new`). */
  newReleases?: number;
}

export interface SpotifyEmulator {
  readonly apiUrl: string;
  readonly accountsUrl: string;
  readonly port: number;
  readonly world: World;
  readonly control: EmulatorControl;
  /** The users' simulated listening over control.now(): what recently-played serves, and the truth tests compare with. */
  readonly listening: Listening;
  /** Every API request, in order; tests count them. */
  readonly requests: RequestRecord[];
  /** The album covers the image CDN serves, and which ones a test made go missing. */
  readonly covers: EmulatedCovers;
  /** Drives the consent page's form as a browser would; returns the redirect (callback) URL. */
  consent(options: { authorizeUrl: string; userId: string; approve?: boolean }): Promise<string>;
  /** A valid token set for a user without going through OAuth (test shortcut). */
  issueTokens(
    userId: string,
    clientId?: string,
  ): { accessToken: string; refreshToken: string; expiresAt: number; scope: string };
  addFault(fault: Fault): void;
  /** The user's "Extended streaming history" zip for what they played in (from, to] (export.ts). */
  exportExtendedHistory(
    userId: string,
    range: { from: number; to: number },
    options?: ExtendedExportOptions,
  ): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts a Spotify Web API + accounts emulator on 127.0.0.1 that follows development-mode rules. */
export async function startSpotifyEmulator(options: SpotifyEmulatorOptions = {}): Promise<SpotifyEmulator> {
  const world = seedWorld(options.seed ?? 42);
  if (options.listeners) addListeners(world, options.seed ?? 42, options.listeners);
  if (options.newReleases) addNewReleases(world, options.seed ?? 42, (options.now ?? Date.now)(), options.newReleases);
  const listening = createListening(world, options.seed ?? 42, options.listening, { clusters: options.clusters });
  const control: EmulatorControl = {
    now: options.now ?? Date.now,
    latencyMs: options.latencyMs ?? 0,
    faults: [],
    quota: { limit: options.quota ?? Number.MAX_SAFE_INTEGER, used: 0, retryAfterSec: 20 * 3600 },
    rateLimit: { count: 0, retryAfterSec: 1 },
    omitRefreshToken: 'alternate',
    allowlist: new Set(options.allowlist ?? ALLOWLISTED),
  };
  const accounts: AccountsState = { codes: new Map(), access: new Map(), refresh: new Map(), refreshCount: 0 };
  const requests: RequestRecord[] = [];
  let base = '';
  const app = express();
  app.disable('x-powered-by');
  const covers = createCovers(world, () => base);
  app.use(accountsRouter(world, accounts, control, options.client));
  app.use(covers.router);
  app.use(
    '/v1',
    apiGuards(control, accounts, requests),
    apiRouter(
      world,
      () => `${base}/v1`,
      () => control.now(),
      listening,
      covers.albumImages,
    ),
  );

  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/v1`,
    accountsUrl: base,
    port,
    world,
    control,
    listening,
    requests,
    covers: covers.covers,
    async consent({ authorizeUrl, userId, approve = true }) {
      const page = await fetch(authorizeUrl);
      if (!page.ok) throw new Error(`authorize page answered ${page.status}: ${await page.text()}`);
      const q = new URL(authorizeUrl).searchParams;
      const form = new URLSearchParams({ user: userId, decision: approve ? 'approve' : 'deny' });
      for (const key of ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'])
        form.set(key, q.get(key) ?? '');
      const res = await fetch(`${base}/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`consent answered ${res.status}`);
      return location;
    },
    issueTokens: (userId, clientId = 'test-client') =>
      issueTokens(accounts, control, userId, clientId, 'user-top-read'),
    addFault: (fault) => control.faults.push(fault),
    exportExtendedHistory: (userId, range, exportOptions) =>
      userExtendedHistoryZip(world, listening, userId, range, exportOptions),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
