import { afterAll, beforeAll } from 'vitest';
import { startLastfmEmulator, type LastfmEmulator, type LastfmEmulatorOptions } from '../../emulators/lastfm/server.js';
import {
  startListenBrainzEmulator,
  type ListenBrainzEmulator,
  type ListenBrainzEmulatorOptions,
} from '../../emulators/listenbrainz/index.js';
import { useEncoreHarness } from './encoreHarness.js';
import { manualTicks } from './manualTicks.js';

/** The operator's Last.fm credentials: the emulator accepts them and Encore is configured with them. */
const LASTFM_API_KEY = '0123456789abcdef0123456789abcdef';
const LASTFM_SECRET = 'fedcba9876543210fedcba9876543210';

export interface SourcesWorldOptions {
  readonly listenbrainz: ListenBrainzEmulatorOptions;
  /** Without `users`, the emulator's seeded Last.fm users (hugo, gwen). */
  readonly lastfm?: Omit<LastfmEmulatorOptions, 'apiKey' | 'sharedSecret'>;
}

/**
 * For an end-to-end file about the listening sources: the ListenBrainz and Last.fm emulators, then
 * Encore pointed at both (its jobs run only when the test says), started once for the file. `options`
 * is read when the emulators start, so histories may be dated from that moment.
 */
export function useSourcesWorld(options: () => SourcesWorldOptions) {
  let lb: ListenBrainzEmulator | undefined;
  let lfm: LastfmEmulator | undefined;
  const ticks = manualTicks();
  beforeAll(async () => {
    const { listenbrainz, lastfm } = options();
    lb = await startListenBrainzEmulator(listenbrainz);
    lfm = await startLastfmEmulator({ ...lastfm, apiKey: LASTFM_API_KEY, sharedSecret: LASTFM_SECRET });
  });
  afterAll(async () => {
    await lb?.close();
    await lfm?.close();
  });
  const h = useEncoreHarness(() => ({
    jobTicks: ticks.source,
    config: {
      LISTENBRAINZ_ENABLED: true,
      LISTENBRAINZ_API_URL: lb!.url,
      LASTFM_API_KEY,
      LASTFM_SHARED_SECRET: LASTFM_SECRET,
      LASTFM_API_URL: lfm!.apiUrl,
      LASTFM_AUTH_URL: lfm!.authUrl,
    },
  }));
  /** How many plays Encore holds for the member, from every source. */
  const playsOf = async (memberId: string) =>
    Number(
      (
        await h.encore.store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM plays WHERE member_id = $1`, [
          memberId,
        ])
      ).rows[0]!.n,
    );
  return {
    h,
    lb: startedInBeforeAll(() => lb, 'the ListenBrainz emulator'),
    lfm: startedInBeforeAll(() => lfm, 'the Last.fm emulator'),
    playsOf,
  };
}

/** Stands for what `beforeAll` starts, so a test file can name it at the top like the harness. */
function startedInBeforeAll<T extends object>(get: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = get();
      if (!value) throw new Error(`${what} starts in beforeAll`);
      const property: unknown = Reflect.get(value, key, value);
      return typeof property === 'function' ? (property as (...args: unknown[]) => unknown).bind(value) : property;
    },
  });
}
