export type { PlaylistItemInput, ArtistGenreLookup } from './types.js';
export {
  ITEMS_PER_PAGE,
  URIS_PER_WRITE,
  itemPagesFor,
  splitRequestLowerBound,
  naiveSplitRequests,
  orderRequestEstimate,
  type SplitRequestEstimate,
  type SplitWorkload,
} from './requestEstimate.js';
export { MAX_PLAYLIST_NAME_LENGTH, genrePlaylistName, truncateText } from './playlistNames.js';
export {
  analysePlaylist,
  OTHER_KEY,
  UNCLASSIFIED_KEY,
  type AnalyseOptions,
  type ItemCounts,
  type GenreCount,
  type PlannedPlaylist,
  type PlaylistAnalysis,
} from './analysePlaylist.js';
export { targetOrder, type OrderBy, type TargetOrderOptions } from './targetOrder.js';
export {
  planOrderChange,
  applyOrderPlan,
  applyReorder,
  longestIncreasingSubsequence,
  type OrderPlan,
  type OrderPlanOptions,
  type ReorderOperation,
} from './orderPlan.js';
export {
  startSplitJob,
  upgradeSplitJob,
  skipEarlierCheck,
  nextSplitStep,
  nextSplitSteps,
  startStep,
  finishStep,
  finishSplitJob,
  splitProgress,
  splitWritten,
  EARLIER_CHECK_KEY,
  type SplitJobState,
  type SplitTarget,
  type SplitStep,
  type SplitStepResult,
  type EarlierPlaylist,
} from './splitJob.js';
export {
  startOrderJob,
  nextOrderStep,
  startOrderStep,
  finishOrderStep,
  orderProgress,
  replaceWriteCount,
  type OrderJobState,
  type OrderStep,
  type OrderWriteStep,
  type OrderReplaceStep,
  type OrderAppendStep,
  type OrderVerifyStep,
  type OrderStepResult,
} from './orderJob.js';
