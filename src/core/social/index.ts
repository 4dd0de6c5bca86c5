export { genreDiversity, shannonEntropy } from './entropy.js';
export { PERIOD_DAYS, periodStart, windowPieces, type Period, type WindowPieces } from './periods.js';
export { rankDescending } from './ranking.js';
