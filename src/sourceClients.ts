import type { Config } from './config.js';
import { createLastfmClient, type LastfmClient } from './lastfm/index.js';
import { createListenBrainzClient, type ListenBrainzClient } from './listenbrainz/index.js';
import { ENCORE_VERSION } from './version.js';

/**
 * The source clients this operator set up: ListenBrainz unless turned off (it needs nothing from
 * the operator), Last.fm only with an API key and shared secret. Each identifies Encore as its
 * service asks, with PUBLIC_URL as the contact. Built once per process (src/encore.ts): the listening
 * sources and the genre resolver share each client, and with it its pace.
 */
export interface SourceClients {
  listenbrainz?: ListenBrainzClient;
  lastfm?: LastfmClient;
}

export function sourceClients(config: Config): SourceClients {
  const listenbrainz =
    config.LISTENBRAINZ_ENABLED === false
      ? undefined
      : createListenBrainzClient({
          ...(config.LISTENBRAINZ_API_URL ? { baseUrl: config.LISTENBRAINZ_API_URL } : {}),
          version: ENCORE_VERSION,
          contact: config.PUBLIC_URL,
        });
  const lastfm =
    config.LASTFM_API_KEY && config.LASTFM_SHARED_SECRET
      ? createLastfmClient({
          apiKey: config.LASTFM_API_KEY,
          sharedSecret: config.LASTFM_SHARED_SECRET,
          ...(config.LASTFM_API_URL ? { apiUrl: config.LASTFM_API_URL } : {}),
          ...(config.LASTFM_AUTH_URL ? { authUrl: config.LASTFM_AUTH_URL } : {}),
          userAgent: `Encore/${ENCORE_VERSION} (+${config.PUBLIC_URL})`,
        })
      : undefined;
  return { ...(listenbrainz ? { listenbrainz } : {}), ...(lastfm ? { lastfm } : {}) };
}
