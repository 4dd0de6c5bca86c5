import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { DATABASE_NOTE_VARIABLE } from './globalSetup.js';

/**
 * Prints what did not run and why (a skipped test is never a passed one), which Postgres the run
 * used, and then one plain closing line ("tests: N passed, N failed, N skipped") any CI can read.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notRun = new Map<string, string[]>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') failed++;
        else {
          skipped++;
          const why =
            (result.state === 'skipped' && result.note) ||
            (result.state === 'pending' ? 'did not finish' : 'skipped in the code, with no reason given');
          const where = `${path.relative(process.cwd(), module.moduleId)}: ${why}`;
          notRun.set(where, [...(notRun.get(where) ?? []), test.name]);
        }
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    const lines: string[] = [];
    if (notRun.size) {
      lines.push('', `!!! ${skipped} test${skipped === 1 ? '' : 's'} DID NOT RUN (skipped; not counted as passed):`);
      for (const [where, names] of notRun) lines.push(`!!!   ${where}`, ...names.map((name) => `!!!     - ${name}`));
    }
    const database = process.env[DATABASE_NOTE_VARIABLE];
    if (database) lines.push('', `database: ${database}`);
    lines.push('', `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`, '');
    process.stdout.write(lines.join('\n'));
  }
}
