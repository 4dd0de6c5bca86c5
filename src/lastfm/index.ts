export {
  createLastfmClient,
  LastfmAuthError,
  LastfmSourceError,
  LASTFM_API_URL,
  LASTFM_AUTH_URL,
  LASTFM_MAX_PAGE,
  LASTFM_MIN_INTERVAL_MS,
  LASTFM_RATE_LIMIT_BACKOFF_MS,
  type LastfmAuthFailure,
  type LastfmClient,
  type LastfmClientOptions,
  type LastfmSession,
  type LastfmTag,
} from './client.js';
export { lastfmArtistGenres } from './genres.js';
export { lastfmApiSig } from './signature.js';
export { parseRecentTracks, type RawRecentTrack, type RawRecentTracks } from './parse.js';
