/**
 * `node --max-old-space-size=<MB> --import tsx importReaderChild.ts <upload> <databaseUrl> <member>`:
 * one upload through the real reader and store (uploadEntries → importHistory → the import
 * repository), in a process of its own so that its peak memory is its own. Prints one JSON line:
 * the outcome (`imported` or the UserError id), the summary, and the process's peak RSS.
 */
import pg from 'pg';
import { importHistory } from '../../src/app/history/importHistory.js';
import { UserError } from '../../src/core/errors.js';
import { DEFAULT_UPLOAD_LIMITS, uploadEntries } from '../../src/http/history/exportUpload.js';
import { createImportRepository } from '../../src/store/history/importRepository.js';

const [upload, databaseUrl, member] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
let result: Record<string, unknown>;
try {
  const summary = await importHistory(
    {
      repo: createImportRepository(pool),
      tokens: {} as never,
      isLinked: async () => true,
      cachedGenres: async () => new Map(),
      publicUrl: 'http://127.0.0.1',
      now: () => Date.UTC(2026, 10, 30),
    },
    member!,
    uploadEntries(upload!, DEFAULT_UPLOAD_LIMITS),
  );
  result = { outcome: 'imported', summary };
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  result = { outcome: error.id, context: error.context };
} finally {
  await pool.end();
}
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ...result, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
