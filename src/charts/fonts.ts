import { existsSync } from 'node:fs';
import { registerFont } from 'canvas';
import { FONT_FAMILY } from './theme.js';

/**
 * Registers DejaVu Sans explicitly (Debian's fonts-dejavu-core, installed by .ci/run and the
 * Dockerfile) so text renders the same everywhere instead of whatever fontconfig finds first.
 * Returns false when the font files are missing, so the caller can warn once.
 */
let registered: boolean | undefined;
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/local/share/fonts/dejavu'];

export function registerChartFonts(): boolean {
  if (registered !== undefined) return registered;
  const dir = FONT_DIRS.find((d) => existsSync(`${d}/DejaVuSans.ttf`));
  if (!dir) return (registered = false);
  registerFont(`${dir}/DejaVuSans.ttf`, { family: FONT_FAMILY });
  if (existsSync(`${dir}/DejaVuSans-Bold.ttf`)) registerFont(`${dir}/DejaVuSans-Bold.ttf`, { family: FONT_FAMILY, weight: 'bold' });
  return (registered = true);
}
