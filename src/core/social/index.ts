export {
  artistSpans,
  discoveryMarks,
  totalsByKey,
  type ArtistSpan,
  type DayMarks,
  type MarksDelta,
  type MonthMarks,
} from './discoveryMarks.js';
export { genreDiversity, shannonEntropy } from './entropy.js';
export { PERIOD_DAYS, periodStart, windowPieces, type Period, type WindowPieces } from './periods.js';
export { rankDescending } from './ranking.js';
export { runningSums, type RunningSum } from './runningSums.js';
