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

const SIZES = [30_000, 300_000] as const;
const TARGET_PLAYS_PER_S = 50_000;
const TARGET_RSS_MB = 300;
const MB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Full-history import of an Extended streaming history export (issue 13), at 30k and 300k plays:
 * throughput from the upload's bytes to committed plays and rollups in Postgres (spool to disk,
 * unzip, parse, stage, merge), and, for 300k, the peak RSS it adds to the process. The files are
 * read record by record and their plays wait in a local file until a database connection is taken
 * to store them: the time that connection is held is shown too. The zips are made in child
 * processes first, so nothing of the generator is in this process's memory; each size is imported
 * into its own fresh database (the 300k one first, for the memory figure). Targets (issue 24):
 * ≥ 50,000 plays/s at both sizes, peak RSS added ≤ 300 MB.
 */
export default async function importBench(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'encore-import-bench-'));
  try {
    const zips = new Map<number, string>();
    for (const plays of SIZES) {
      const zip = path.join(dir, `my_spotify_data_${plays}.zip`);
      execFileSync(path.join(here, '../node_modules/.bin/tsx'), [path.join(here, 'makeExport.ts'), String(plays), zip]);
      zips.set(plays, zip);
    }
    const big = await importInto(dir, zips.get(300_000)!, { again: true });
    const small = await importInto(dir, zips.get(30_000)!, { again: false });
    const rateRow = (plays: number, r: Run) => {
      const rate = r.summary.imported / r.seconds;
      return [
        `import throughput, ${plays.toLocaleString('en-US')} plays`,
        `${Math.round(rate).toLocaleString('en-US')} plays/s (${r.seconds.toFixed(1)} s)`,
        `≥ ${TARGET_PLAYS_PER_S.toLocaleString('en-US')} plays/s`,
        rate >= TARGET_PLAYS_PER_S ? 'met' : 'missed',
      ];
    };
    console.log(
      `export: ${(300_000).toLocaleString('en-US')} music plays + ${big.first.summary.podcasts.toLocaleString('en-US')} podcast and ${big.first.summary.short.toLocaleString('en-US')} short entries in ${big.first.summary.files} files, zip ${(big.size / MB).toFixed(0)} MB; rollup rows: ${big.days.toLocaleString('en-US')} days, ${big.artistDays.toLocaleString('en-US')} artist-days`,
    );
    table([
      ['figure', 'measured', 'target', ''],
      rateRow(30_000, small.first),
      rateRow(300_000, big.first),
      [
        'peak RSS added, 300,000 plays',
        `${big.addedMb.toFixed(0)} MB`,
        `≤ ${TARGET_RSS_MB} MB`,
        big.addedMb <= TARGET_RSS_MB ? 'met' : 'missed',
      ],
      [
        'database connection held, 300,000 plays (reading files first)',
        `${big.first.connectionSeconds.toFixed(1)} s of ${big.first.seconds.toFixed(1)} s`,
        '',
        '',
      ],
      [
        'same 300,000-play export again (all duplicates)',
        `${big.again!.summary.imported} new, ${big.again!.seconds.toFixed(1)} s`,
        '0 new',
        big.again!.summary.imported === 0 ? 'met' : 'missed',
      ],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Run {
  summary: Awaited<ReturnType<typeof importHistory>>;
  seconds: number;
  connectionSeconds: number;
}

/** One member's import of `zip` into a fresh database (and, with `again`, the same upload once more). */
async function importInto(dir: string, zip: string, { again }: { again: boolean }) {
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
    const run = async (member: string): Promise<Run> => {
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
    const second = again ? await run('900000000000000001') : undefined;
    const { rows } = await store.pool.query<{ days: number; artistDays: number }>(
      `SELECT (SELECT count(*) FROM member_daily)::int AS "days", (SELECT count(*) FROM member_daily_artists)::int AS "artistDays"`,
    );
    return {
      first,
      again: second,
      size,
      addedMb: (maxRss - baseline) / MB,
      days: rows[0]!.days,
      artistDays: rows[0]!.artistDays,
    };
  } finally {
    await dispose();
  }
}
