export * from './ports.js';
export {
  previewSplit,
  readSplitSource,
  type SplitPreview,
  type SplitPreviewInput,
  type SplitSource,
  type PreviewProgress,
  type PreviewSpotify,
} from './previewSplit.js';
export {
  previewChosenNow,
  previewSplitOrAsk,
  runThriftyPreview,
  type GenreChoiceRepository,
  type SplitGenreChoice,
} from './genreChoice.js';
export { SORT_LEASE_MS } from './leasedRun.js';
export {
  runSplitJob,
  sourceMarker,
  isPreview,
  isResumable,
  type RunOutcome,
  type RunSplitDeps,
  type SplitProgress,
  type WrittenPlaylist,
} from './runSplit.js';
export { cancelSort, type CancelAnswer } from './cancelSort.js';
export { orderPlaylist, type OrderInput, type OrderResult } from './orderPlaylist.js';
export { runOrderJob, type OrderRunOutcome } from './runOrder.js';
