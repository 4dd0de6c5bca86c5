export {
  createListenBrainzClient,
  InvalidListenBrainzToken,
  listenBrainzUserAgent,
  MAX_LISTENS_PER_PAGE,
  type ListenBrainzClient,
  type ListenBrainzClientOptions,
} from './client.js';
export { toSourceListen, type ListenBrainzListenJson } from './listens.js';
