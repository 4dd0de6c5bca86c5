import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importHistory, type HistoryImportDeps } from '../src/app/history/importHistory.js';
import { DEFAULT_UPLOAD_LIMITS, spoolUpload, uploadEntries } from '../src/http/history/exportUpload.js';
import { createImportRepository } from '../src/store/history/importRepository.js';
import { benchStore, table } from './support.js';

const PLAYS = 300_000;
const TARGET_PLAYS_PER_S = 50_000;
const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Full-history import of a 300k-play Extended streaming history export (issue 13): throughput
 * from the upload's bytes to committed plays and rollups in Postgres (spool to disk, unzip, parse,
 * stage, merge), and the peak RSS it adds to the process. The files are read record by record and
 * their plays wait in a local file until a database connection is taken to store them: the time
 * that connection is held is shown too. The zip is made in a child process first, so nothing of
 * the generator is in this process's memory. Targets: ≥ 50,000 plays/s, peak RSS added ≤ 300 MB.
 */
export default async function importBench(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-import-bench-'));
  const zip = path.join(dir, 'my_spotify_data.zip');
  execFileSync(path.join(here, '../node_modules/.bin/tsx'), [path.join(here, 'makeExport.ts'), String(PLAYS), zip]);
  const size = (await stat(zip)).size;
  const { store, dispose } = await benchStore();
  try {
    const deps: HistoryImportDeps = {
      repo: createImportRepository(store.pool),
      tokens: {
        issue: async () => {},
        peek: async () => undefined,
        take: async () => undefined,
        deleteFor: async () => 0,
        admit: async () => ({ admitted: true }),
      },
      isLinked: async () => true,
      cachedGenres: async () => new Map(),
      publicUrl: 'http://127.0.0.1',
    };
    const run = async (member: string) => {
      const spooled = path.join(dir, `upload-${member}`);
      const started = performance.now();
      let storing = NaN;
      await spoolUpload(createReadStream(zip), spooled, DEFAULT_UPLOAD_LIMITS);
      const summary = await importHistory(deps, member, uploadEntries(spooled, DEFAULT_UPLOAD_LIMITS), (progress) => {
        if (progress.stage === 'storing') storing = performance.now();
      });
      const seconds = (performance.now() - started) / 1000;
      await rm(spooled, { force: true });
      // The database connection is taken only once every file has been read (the storing stage).
      return { summary, seconds, connectionSeconds: (performance.now() - storing) / 1000 };
    };
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const first = await run('900000000000000001');
    clearInterval(sampler);
    // maxRSS is the process's lifetime peak: nothing before the import used more than the baseline.
    const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    const again = await run('900000000000000001');
    const rate = first.summary.imported / first.seconds;
    const { rows } = await store.pool.query<{ days: number; artistDays: number }>(
      `SELECT (SELECT count(*) FROM member_daily)::int AS "days", (SELECT count(*) FROM member_daily_artists)::int AS "artistDays"`,
    );
    const added = (maxRss - baseline) / MB;
    console.log(
      `export: ${PLAYS.toLocaleString('en-US')} music plays + ${first.summary.podcasts.toLocaleString('en-US')} podcast and ${first.summary.short.toLocaleString('en-US')} short entries in ${first.summary.files} files, zip ${(size / MB).toFixed(0)} MB; rollup rows: ${rows[0]!.days.toLocaleString('en-US')} days, ${rows[0]!.artistDays.toLocaleString('en-US')} artist-days`,
    );
    table([
      ['figure', 'measured', 'target', ''],
      [
        'import throughput (first import)',
        `${Math.round(rate).toLocaleString('en-US')} plays/s (${first.seconds.toFixed(1)} s)`,
        `≥ ${TARGET_PLAYS_PER_S.toLocaleString('en-US')} plays/s`,
        rate >= TARGET_PLAYS_PER_S ? 'met' : 'missed',
      ],
      ['peak RSS added', `${added.toFixed(0)} MB`, `≤ ${TARGET_RSS_MB} MB`, added <= TARGET_RSS_MB ? 'met' : 'missed'],
      [
        'database connection held (reading files first)',
        `${first.connectionSeconds.toFixed(1)} s of ${first.seconds.toFixed(1)} s`,
        '',
        '',
      ],
      [
        'same export again (all duplicates)',
        `${again.summary.imported} new, ${again.seconds.toFixed(1)} s`,
        '0 new',
        again.summary.imported === 0 ? 'met' : 'missed',
      ],
    ]);
  } finally {
    await dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
