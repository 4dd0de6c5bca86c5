export { genreDiversity, shannonEntropy } from './entropy.js';
export { PERIOD_DAYS, periodStart, type Period } from './periods.js';
export { rankDescending } from './ranking.js';
