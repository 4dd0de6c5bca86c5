import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkce } from '../../src/spotify/oauth.js';
import { createOAuthClient } from '../../src/spotify/oauth.js';
import { send, type TransportDeps } from '../../src/spotify/transport.js';
import { GatewayMetrics } from '../../src/spotify/metrics.js';
import { createSpotifyGateway } from '../../src/spotify/index.js';
import { SpotifyUnavailableError } from '../../src/core/errors.js';
import { createHttpApp } from '../../src/http/app.js';
import { linkingRouter } from '../../src/http/linking/routes.js';
import { listen } from '../../src/http/server.js';
import { createAccountsRepository } from '../../src/store/accounts/accountsRepository.js';
import { createTokenCipher } from '../../src/store/accounts/tokenCipher.js';
import { createMusicBrainzClient, createRequestSpacer } from '../../src/musicbrainz/index.js';
import { LOOKUP_TIMEOUT_MS } from '../../src/musicbrainz/client.js';
import { useTestStore } from '../support/database.js';
import { captureLogger } from '../support/logger.js';
import { aKey, aMemberId } from '../linking/factories.js';

const store = useTestStore();

/**
 * A server that accepts every request and never answers (Spotify or MusicBrainz hanging), or, for
 * paths under /stall, sends a 200 and the start of a body and then stalls.
 */
let hanging: { url: string; requests: IncomingMessage[]; server: Server };
beforeAll(async () => {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    if (req.url?.startsWith('/stall')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"access_token":');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hanging = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
});
afterAll(async () => {
  hanging.server.closeAllConnections();
  await new Promise((resolve) => hanging.server.close(resolve));
});

const oauthOn = (accountsUrl: string, timeoutMs?: number) =>
  createOAuthClient({
    accountsUrl,
    clientId: 'client',
    clientSecret: 'secret',
    fetch,
    now: Date.now,
    ...(timeoutMs ? { timeoutMs } : {}),
  });

describe('a hanging Spotify or MusicBrainz never holds a request forever', () => {
  it('the token exchange gives up after its timeout', { timeout: 5_000 }, async () => {
    const started = Date.now();
    await expect(
      oauthOn(hanging.url, 200).exchangeCode({
        code: 'c',
        codeVerifier: 'v',
        redirectUri: 'http://127.0.0.1/callback',
      }),
    ).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a token answer that stalls halfway gives up too', { timeout: 5_000 }, async () => {
    await expect(
      oauthOn(`${hanging.url}/stall`, 200).refresh({ accessToken: 'a', refreshToken: 'r', expiresAt: 0, scope: '' }),
    ).rejects.toBeInstanceOf(SpotifyUnavailableError);
  });

  it('a hanging token endpoint shows the "try again" page on /callback', { timeout: 5_000 }, async () => {
    const repo = createAccountsRepository(store(), createTokenCipher([aKey()]));
    const oauth = oauthOn(hanging.url, 200);
    const log = captureLogger('silent').log;
    const router = linkingRouter({
      repo,
      publicUrl: 'http://127.0.0.1:1',
      userCap: 5,
      spotify: {
        createPkce,
        authorizationUrl: (o) => oauth.authorizationUrl(o),
        exchangeCode: (o) => oauth.exchangeCode(o),
        profile: () => Promise.reject(new Error('never reached')),
      },
      log,
      onLinked: async () => {},
    });
    const server = await listen(
      createHttpApp({ log, store: { health: async () => ({ ok: true }) }, routers: [router] }),
      0,
      '127.0.0.1',
    );
    try {
      const state = 'S'.repeat(32);
      await repo.saveState(state, { discordUserId: aMemberId(), verifier: 'v'.repeat(64) }, Date.now() + 60_000);
      const res = await fetch(`http://127.0.0.1:${server.port}/callback?state=${state}&code=abc`);
      expect(res.status).toBe(502);
      expect(await res.text()).toContain('try again');
    } finally {
      await server.close(0);
    }
  });

  it('an API request gives up after the timeout of its priority', { timeout: 10_000 }, async () => {
    const deps = {
      apiUrl: hanging.url,
      fetch,
      now: Date.now,
      pacer: { run: <T>(task: () => Promise<T>) => task(), pauseUntil() {}, pausedUntilTime: 0 },
      breaker: { check: async () => {}, trip: async () => {} },
      budget: { spend: async () => {}, persist: async () => {} },
      metrics: new GatewayMetrics(),
      log: captureLogger('silent').log,
      requestTimeoutMs: { interactive: 100, background: 100, warming: 100 },
    } as unknown as TransportDeps;
    const before = hanging.requests.length;
    await expect(
      send(deps, { method: 'POST', path: '/me/playlists', body: {}, accessToken: 't', priority: 'interactive' }),
    ).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(hanging.requests.length).toBe(before + 1); // a write that may have landed is not sent again
    // An answer that starts and then stalls is Spotify being unavailable, not a bug of ours.
    await expect(
      send(
        { ...deps, apiUrl: `${hanging.url}/stall` },
        { method: 'POST', path: '/me/playlists', body: {}, accessToken: 't', priority: 'interactive' },
      ),
    ).rejects.toBeInstanceOf(SpotifyUnavailableError);
  });

  it('every request the gateway sends to Spotify (exchange, refresh, API) carries a timeout', async () => {
    const signals: Array<[string, AbortSignal | null | undefined]> = [];
    const recording: typeof fetch = (input, init) => {
      signals.push([String(input), init?.signal]);
      return Promise.resolve(
        Response.json({ access_token: 'a', refresh_token: 'r', expires_in: 3600, id: 'u', display_name: 'U' }),
      );
    };
    const gateway = createSpotifyGateway({
      apiUrl: 'http://spotify.invalid/v1',
      accountsUrl: 'http://accounts.invalid',
      clientId: 'c',
      clientSecret: 's',
      store: store(),
      log: captureLogger('silent').log,
      fetch: recording,
    });
    const tokens = await gateway.oauth.exchangeCode({
      code: 'c',
      codeVerifier: 'v',
      redirectUri: 'http://127.0.0.1/callback',
    });
    await gateway.oauth.refresh(tokens);
    await gateway.forUser({ load: async () => tokens, save: async () => {} }).me();
    expect(signals.map(([url]) => new URL(url).pathname)).toEqual(['/api/token', '/api/token', '/v1/me']);
    for (const [url, signal] of signals) expect(signal, url).toBeInstanceOf(AbortSignal);
  });

  it('a MusicBrainz lookup gives up after its timeout', { timeout: 5_000 }, async () => {
    const mb = createMusicBrainzClient({
      baseUrl: hanging.url,
      version: '1',
      contactUrl: 'https://encore.example.com',
      spacer: createRequestSpacer(0),
      timeoutMs: 150,
    });
    await expect(mb.genresByArtistName('Radiohead')).rejects.toThrow(/abort|timeout/i);
  });

  it('a MusicBrainz lookup has a timeout by default, short enough for a member waiting on a preview', async () => {
    const signals: Array<AbortSignal | null | undefined> = [];
    const recording: typeof fetch = (_input, init) => (
      signals.push(init?.signal),
      Promise.resolve(Response.json({ artists: [] }))
    );
    const mb = createMusicBrainzClient({
      baseUrl: hanging.url,
      version: '1',
      contactUrl: 'https://encore.example.com',
      spacer: createRequestSpacer(0),
      fetch: recording,
    });
    await mb.genresByArtistName('Radiohead');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(LOOKUP_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
  });
});
