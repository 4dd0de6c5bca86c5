import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The rules that fired for this code, as if it were the file at `file` (every import resolves to a real module). */
async function rulesFor(file: string, code: string): Promise<Array<string | null>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => m.ruleId);
}

const refused = ['import-x/no-restricted-paths'];

describe('adapters stay in their lanes', () => {
  it('refuses the Spotify and MusicBrainz clients importing src/store: they are handed keyv namespaces', async () => {
    expect(
      await rulesFor(
        'src/spotify/probe.ts',
        "import type { Store } from '../store/index.js';\nexport type X = Store;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'src/musicbrainz/probe.ts',
        "import { createClaims } from '../store/claims.js';\nexport const x = createClaims;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'src/spotify/probe.ts',
        "import type { KeyvNamespaces } from './types.js';\nimport { parentGenreOf } from '../core/genres/index.js';\nexport type X = KeyvNamespaces;\nexport const x = parentGenreOf;\n",
      ),
    ).toEqual([]);
  });

  it('refuses a job importing src/store: the feature that schedules it hands over what it uses', async () => {
    expect(
      await rulesFor(
        'src/jobs/probe.ts',
        "import { sweepExpiredKeyv } from '../store/keyvSweep.js';\nexport const x = sweepExpiredKeyv;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'src/jobs/probe.ts',
        "import type { Job } from './scheduler.js';\nimport { resolveArtistGenres } from '../app/genres/resolveArtistGenres.js';\nexport type X = Job<unknown>;\nexport const x = resolveArtistGenres;\n",
      ),
    ).toEqual([]);
  });

  it('refuses a message builder importing src/charts, while the rest of src/discord draws charts', async () => {
    const drawing = "import { sortPreviewChart } from '../../charts/index.js';\nexport const x = sortPreviewChart;\n";
    expect(await rulesFor('src/discord/messages/probe.ts', drawing)).toEqual(refused);
    expect(await rulesFor('src/discord/probe/probe.ts', drawing)).toEqual([]);
  });

  it('refuses a feature importing another feature, folder or file', async () => {
    expect(
      await rulesFor(
        'src/features/sort/probe.ts',
        "import { createAccounts } from '../linking/accounts.js';\nexport const x = createAccounts;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'src/features/history/probe.ts',
        "import { privacyFeature } from '../privacy.js';\nexport const x = privacyFeature;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'src/features/maintenance.ts',
        "import { sortFeature } from './sort/index.js';\nexport const x = sortFeature;\n",
      ),
    ).toEqual(refused);
  });

  it('lets a feature use its own files and the feature kit, and the feature list name every feature', async () => {
    expect(
      await rulesFor(
        'src/features/sort/probe.ts',
        "import { sortFeature } from './index.js';\nimport { accountsOf, type Accounts } from '../feature.js';\nimport { genreSourcesFor } from '../genres.js';\nexport type X = Accounts;\nexport const x = [sortFeature, accountsOf, genreSourcesFor];\n",
      ),
    ).toEqual([]);
    expect(
      await rulesFor(
        'src/features/index.ts',
        "import { linkingFeature } from './linking/index.js';\nimport { sortFeature } from './sort/index.js';\nexport const x = [linkingFeature, sortFeature];\n",
      ),
    ).toEqual([]);
  });

  it('refuses a bench or the sandbox importing the tests: they share through scripts/support', async () => {
    expect(
      await rulesFor(
        'bench/probe.bench.ts',
        "import { followLinkPage } from '../test/support/linkPage.js';\nexport const x = followLinkPage;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'scripts/sandbox/probe.ts',
        "import { captureLogger } from '../../test/support/logger.js';\nexport const x = captureLogger;\n",
      ),
    ).toEqual(refused);
    expect(
      await rulesFor(
        'bench/probe.bench.ts',
        "import { followLinkPage } from '../scripts/support/linkPage.js';\nimport { loadEvaluationList } from '../test/genres/evaluation/evaluationList.js';\nexport const x = [followLinkPage, loadEvaluationList];\n",
      ),
    ).toEqual([]);
  });
});
