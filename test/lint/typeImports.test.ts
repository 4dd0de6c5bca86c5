import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/lint/fixtures/inlineTypeImport');
const eslint = new ESLint({ cwd: root, ignore: false });

async function rulesFor(file: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintFiles([path.join(fixtures, file)]);
  return result!.messages.map((m) => m.ruleId);
}

describe('types are imported at the top of a file, where the import graph sees them', () => {
  it("refuses an inline import('…').T type annotation", async () => {
    expect(await rulesFor('inline.ts')).toEqual(['@typescript-eslint/consistent-type-imports']);
  });

  it('accepts the same type through a top-level import type', async () => {
    expect(await rulesFor('topLevel.ts')).toEqual([]);
  });
});
