export * from './ports.js';
export { previewSplit, type SplitPreview, type SplitPreviewInput, type PreviewProgress } from './previewSplit.js';
export { runSplitJob, jobMarker, type RunOutcome, type RunSplitDeps, type SplitProgress } from './runSplit.js';
export { orderPlaylist, type OrderInput, type OrderResult } from './orderPlaylist.js';
