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
export { confirmSplit, type ConfirmSplitOutcome, type SplitWatch } from './confirmSplit.js';
export { chooseOrder, type ChooseOrderOutcome, type OrderChoice, type OrderChoiceProgress } from './chooseOrder.js';
export { chooseGenreSource, type ChooseGenreSourceOutcome, type GenreSource } from './chooseGenreSource.js';
export { isNotStartable, type NotStartable } from './startable.js';
export { sortServiceFrom } from './sortService.js';
export { playlistIdFrom } from './playlistReference.js';
