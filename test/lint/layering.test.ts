import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The rules that fired for this code, as if it were the file at `file`. */
async function rulesFor(file: string, code: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => m.ruleId);
}

describe('the linter enforces the direction of imports', () => {
  it('refuses src/core importing an adapter', async () => {
    expect(
      await rulesFor('src/core/probe.ts', "import { sendDm } from '../discord/dm.js';\nexport const x = sendDm;\n"),
    ).toEqual(['import-x/no-restricted-paths']);
  });

  it('refuses src/app importing discord.js or an adapter module', async () => {
    const rules = await rulesFor(
      'src/app/probe.ts',
      "import { Client } from 'discord.js';\nimport { openStore } from '../store/index.js';\nexport const x = [Client, openStore];\n",
    );
    expect(rules.sort()).toEqual(['import-x/no-restricted-paths', 'no-restricted-imports']);
  });

  it('lets src/app use the core, and adapters use both', async () => {
    expect(
      await rulesFor(
        'src/app/probe.ts',
        "import { UserError } from '../core/errors.js';\nexport const x = UserError;\n",
      ),
    ).toEqual([]);
    expect(
      await rulesFor(
        'src/discord/probe.ts',
        "import { UserError } from '../core/errors.js';\nimport { isPreview } from '../app/sort/index.js';\nexport const x = [UserError, isPreview];\n",
      ),
    ).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    const withFixtures = new ESLint({ cwd: root, ignore: false });
    const [result] = await withFixtures.lintFiles([path.join(root, 'test/lint/fixtures/cycle/a.ts')]);
    expect(result!.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});
