import {
  startSpotifyEmulator,
  type SpotifyEmulator,
  type SpotifyEmulatorOptions,
} from '../../emulators/spotify/index.js';
import {
  createSpotifyGateway,
  type GatewayOptions,
  type SpotifyGateway,
  type TokenSet,
  type UserTokens,
} from '../../src/spotify/index.js';
import type { Store } from '../../src/store/index.js';
import { captureLogger } from '../support/logger.js';

/** Tokens kept in memory, counting saves, for gateway tests. */
export function memoryTokens(initial: TokenSet): UserTokens & { current: TokenSet; saves: number } {
  const holder = {
    current: initial,
    saves: 0,
    async load() {
      return holder.current;
    },
    async save(next: TokenSet) {
      holder.saves++;
      holder.current = next;
    },
  };
  return holder;
}

export async function gatewayWorld(
  store: Store,
  emulatorOptions: SpotifyEmulatorOptions = {},
  gatewayOptions: Partial<GatewayOptions> = {},
) {
  const emulator: SpotifyEmulator = await startSpotifyEmulator(emulatorOptions);
  const gateway: SpotifyGateway = createSpotifyGateway({
    apiUrl: emulator.apiUrl,
    accountsUrl: emulator.accountsUrl,
    clientId: 'test-client',
    clientSecret: 'test-secret',
    store,
    log: captureLogger('silent').log,
    ...gatewayOptions,
  });
  const tokensFor = (userId: string) => memoryTokens(emulator.issueTokens(userId, 'test-client'));
  return { emulator, gateway, tokensFor };
}

export const apiRequests = (emulator: SpotifyEmulator, pathPrefix: string, method = 'GET') =>
  emulator.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));

/**
 * A clock that never makes the test wait: every timer the pacer sets and every backoff the transport
 * sleeps is recorded, moves this clock forward to its end, and fires at once. Tests assert the waits
 * that were asked for (`timers`, `sleeps`) instead of sitting them out.
 */
export function recordingClock(start = Date.now()) {
  let time = start;
  const timers: number[] = [];
  const sleeps: number[] = [];
  const after = (ms: number, fn: () => void) => {
    const at = time + ms;
    let cancelled = false;
    setImmediate(() => {
      if (cancelled) return;
      time = Math.max(time, at);
      fn();
    });
    return () => void (cancelled = true);
  };
  const now = () => time;
  const setTimer = (fn: () => void, ms: number) => {
    timers.push(ms);
    return after(ms, fn);
  };
  const sleep = (ms: number) => {
    sleeps.push(ms);
    return new Promise<void>((resolve) => after(ms, resolve));
  };
  /** `gateway` holds the options that put the pacer, the backoff and the gateway's idea of now on this clock. */
  return { timers, sleeps, now, setTimer, sleep, gateway: { now, setTimer, sleep } };
}
