import type { ChartRenderer } from '../charts/index.js';
import type { Logger } from '../log.js';

/**
 * What commands may use, handed to them explicitly. Each capability adds its own field; optional
 * ones say whether they are configured, and a command that needs a missing one says so.
 */
export interface Services {
  log: Logger;
  publicUrl: string;
  charts?: ChartRenderer;
  [capability: string]: unknown;
}
