export {
  createListenBrainzClient,
  InvalidListenBrainzToken,
  listenBrainzUserAgent,
  MAX_LISTENS_PER_PAGE,
  MAX_METADATA_RECORDINGS,
  METADATA_ARTISTS_PER_GET,
  type ListenBrainzClient,
  type ListenBrainzClientOptions,
} from './client.js';
export { listenBrainzArtistGenres, type ArtistGenreLookup, type ListenBrainzGenres } from './genres.js';
export { toSourceListen, type ListenBrainzListenJson } from './listens.js';
export { type ArtistTags, type MetadataTag, type RecordingTags } from './metadata.js';
