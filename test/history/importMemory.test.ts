import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { captureLogger } from '../support/logger.js';

/**
 * The memory budget of an import, for fly.toml's 512 MB machine (bot and embedded Postgres
 * together): reading and storing any upload, accepted or refused, runs under a 96 MB V8 heap and
 * peaks under 200 MB of RSS for the whole process. Each upload goes through the real reader and
 * store in a child process started with `--max-old-space-size=96`, which aborts if the heap does
 * not fit; the child reports its own peak RSS.
 */
const HEAP_MB = 96;
const RSS_BUDGET_MB = 200;
const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'encore-import-memory-'));
  db = await createTestDatabase();
  // The schema, as the bot migrates it.
  const { openStore } = await import('../../src/store/index.js');
  const store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent', log: captureLogger('silent').log });
  await store.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

function zipOf(name: string, content: Buffer): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(content, name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

let members = 0;
async function importInChild(upload: string) {
  const { stdout } = await run(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      'tsx',
      path.join(here, 'importReaderChild.ts'),
      upload,
      db.url,
      `90000000000000${String(++members).padStart(4, '0')}`,
    ],
    { cwd: path.join(here, '../..'), maxBuffer: 1024 * 1024 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    outcome: string;
    summary?: { imported: number };
    context?: Record<string, unknown>;
    maxRssMb: number;
  };
  if (process.env.ENCORE_SHOW_FIGURES)
    console.info(path.basename(upload), result.outcome, `${result.maxRssMb} MB peak RSS`);
  return result;
}

const MB = 1024 * 1024;
const FILE = 'Spotify Extended Streaming History/Streaming_History_Audio_2020_0.json';

describe(`an import's memory stays within ${RSS_BUDGET_MB} MB of RSS (${HEAP_MB} MB heap)`, () => {
  it('a 57 MB file of empty records in a small zip: read record by record, nothing to import', async () => {
    const text = Buffer.from(`[${'{},'.repeat(19_000_000)}{}]`);
    expect(text.length).toBeGreaterThan(57_000_000);
    const zip = path.join(dir, 'empties.zip');
    await writeFile(zip, await zipOf(FILE, text));
    expect((await stat(zip)).size).toBeLessThan(MB);
    const result = await importInChild(zip);
    expect(result).toMatchObject({ outcome: 'imported', summary: { imported: 0 } });
    expect(result.maxRssMb).toBeLessThanOrEqual(RSS_BUDGET_MB);
  }, 240_000);

  it('a 57 MB file holding one giant string is refused as damaged', async () => {
    const zip = path.join(dir, 'string.zip');
    await writeFile(
      zip,
      await zipOf(FILE, Buffer.concat([Buffer.from('["'), Buffer.alloc(57 * MB, 'a'), Buffer.from('"]')])),
    );
    const result = await importInChild(zip);
    expect(result).toMatchObject({ outcome: 'import.malformedJson', context: { line: 1, column: 2 } });
    expect(result.maxRssMb).toBeLessThanOrEqual(RSS_BUDGET_MB);
  }, 240_000);

  it('57 MB of nested arrays is refused as damaged', async () => {
    const zip = path.join(dir, 'deep.zip');
    await writeFile(zip, await zipOf(FILE, Buffer.alloc(57 * MB, '[')));
    const result = await importInChild(zip);
    expect(result).toMatchObject({ outcome: 'import.malformedJson', context: { line: 1, column: 2 } });
    expect(result.maxRssMb).toBeLessThanOrEqual(RSS_BUDGET_MB);
  }, 240_000);

  it('a realistic large export (200,000 plays, 170 MB of JSON) is imported whole', async () => {
    const zip = path.join(dir, 'export.zip');
    await run(process.execPath, ['--import', 'tsx', path.join(here, '../../bench/makeExport.ts'), '200000', zip], {
      cwd: path.join(here, '../..'),
    });
    const result = await importInChild(zip);
    expect(result).toMatchObject({ outcome: 'imported', summary: { imported: 200_000 } });
    expect(result.maxRssMb).toBeLessThanOrEqual(RSS_BUDGET_MB);
  }, 300_000);
});
