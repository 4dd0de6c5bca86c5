export * from './ports.js';
export { previewSplit, type SplitPreview, type SplitPreviewInput, type PreviewProgress } from './previewSplit.js';
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
