import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export type Launched = { browser: Browser; source: string } | { browser?: undefined; reason: string };

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A headless Chromium for the browser tests, from the first of these that starts:
 * CHROMIUM_PATH when set (then it must start: a path someone chose that fails is an error),
 * Debian's /usr/bin/chromium (what .ci/run installs), or the Chromium binary shipped inside the
 * `@sparticuz/chromium` npm package (a dev dependency; unpacked into the temp directory once).
 * When none starts, says why, so the tests can be reported as not run rather than passed.
 */
export async function launchChromium(): Promise<Launched> {
  if (process.env.CHROMIUM_PATH) {
    return {
      browser: await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ARGS }),
      source: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH}`,
    };
  }
  const tried: string[] = [];
  if (executable('/usr/bin/chromium')) {
    try {
      return {
        browser: await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS }),
        source: "Debian's chromium",
      };
    } catch (error) {
      tried.push(`/usr/bin/chromium did not start: ${firstLine(error)}`);
    }
  } else tried.push('no /usr/bin/chromium (Debian package chromium)');
  try {
    const packaged = (await import('@sparticuz/chromium')).default;
    const executablePath = await packaged.executablePath();
    return {
      browser: await chromium.launch({ executablePath, args: ARGS }),
      source: `@sparticuz/chromium (${executablePath})`,
    };
  } catch (error) {
    tried.push(`@sparticuz/chromium did not start: ${firstLine(error)}`);
  }
  return { reason: tried.join('; ') };
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? 'unknown error';
