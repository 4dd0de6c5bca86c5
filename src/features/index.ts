import type { FeatureFactory } from './feature.js';
import { genresFeature } from './genres.feature.js';
import { digestFeature } from './digest/index.js';
import { historyFeature } from './history/index.js';
import { linkedRolesFeature } from './linkedRoles.js';
import { linkingFeature } from './linking/index.js';
import { maintenanceFeature } from './maintenance.js';
import { nowPlayingFeature } from './nowPlaying/index.js';
import { privacyFeature } from './privacy.js';
import { settingsFeature } from './settings.js';
import { socialFeature } from './social/index.js';
import { sourcesFeature } from './sources/index.js';
import { sortFeature } from './sort/index.js';
import { serverYearFeature } from './serverYear.js';
import { streaksFeature } from './streaks.js';
import { suggestFeature } from './suggest/index.js';

export type { Feature, FeatureContext, FeatureFactory, DiscordPort } from './feature.js';

/**
 * Every feature of Encore, in the order they are built (a feature may use what those before it
 * provide: linking first). Adding a feature is a folder and one line here.
 */
export const FEATURES: readonly FeatureFactory[] = [
  linkingFeature,
  privacyFeature,
  settingsFeature,
  genresFeature,
  sortFeature,
  // Before history: /unlink ends the connections (no more listens stored) before it erases the plays.
  sourcesFeature,
  historyFeature,
  digestFeature,
  socialFeature,
  suggestFeature,
  streaksFeature,
  nowPlayingFeature,
  // After digest: the year posts through its settings, channel and ledger.
  serverYearFeature,
  linkedRolesFeature,
  maintenanceFeature,
];
