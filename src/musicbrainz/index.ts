export {
  createMusicBrainzClient,
  genresFromTags,
  musicBrainzUserAgent,
  MusicBrainzError,
  type MusicBrainzClient,
  type MusicBrainzClientOptions,
  type MusicBrainzGenres,
} from './client.js';
export { createRequestSpacer, musicBrainzSpacer, type RequestSpacer } from './requestSpacer.js';
