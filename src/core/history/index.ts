export { CADENCE, nextPollDelay, retryAt, type PollOutcome } from './cadence.js';
export { RECENT_WINDOW, detectGap, type Gap } from './gaps.js';
export { UNCLASSIFIED, rollupDelta, rollupGenre, utcDay, type RollupDelta, type RollupPlay } from './rollup.js';
export * from './listening.js';
