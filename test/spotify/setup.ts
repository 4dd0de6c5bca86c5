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

/** Shared with the benches, which never import the tests' modules. */
export { recordingClock } from '../../scripts/support/recordingClock.js';
