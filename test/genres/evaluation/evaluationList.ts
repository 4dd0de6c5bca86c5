import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PARENT_GENRES, type ParentGenreId } from '../../../src/core/genres/familyTree.js';
import { parentGenreOf } from '../../../src/core/genres/parentGenre.js';

/**
 * The yardstick of issue 27: real Spotify micro-genre names, each labelled by hand with the family
 * a listener would look for it in (two where both are defensible). Read by the genre unit test and
 * by `npm run bench -- genres`; the names and their source are described in README.md beside it.
 */
export const EVALUATION_SOURCE =
  'Every Noise at Once (Spotify genre names), via github.com/omarolaes/antiplaylist data/genres/genresNoise.tsx @ 3e7262eb';

/** Share of the list the normaliser must place in a labelled family. */
export const EVALUATION_TARGET = 0.98;

export interface LabelledGenre {
  readonly name: string;
  /** The first is the family the name is counted under; a second is accepted as well. */
  readonly families: readonly ParentGenreId[];
}

const FAMILY_IDS = new Set<string>(PARENT_GENRES.map((g) => g.id));

/** `genres.tsv` is the yardstick; `holdout.tsv` is a later sample kept to see how far the rules carry. */
export function loadEvaluationList(file: 'genres.tsv' | 'holdout.tsv' = 'genres.tsv'): LabelledGenre[] {
  const text = readFileSync(fileURLToPath(new URL(`./${file}`, import.meta.url)), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, index) => {
      const [name, ...families] = line.split('\t');
      if (!name || families.length === 0 || families.length > 2 || families.some((f) => !FAMILY_IDS.has(f)))
        throw new Error(`${file}, entry ${index + 1}: "${line}" is not "name<TAB>family[<TAB>family]"`);
      return { name, families: families as ParentGenreId[] };
    });
}

export interface FamilyScore {
  readonly family: ParentGenreId;
  readonly total: number;
  readonly correct: number;
}

export interface EvaluationResult {
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Per family the names are counted under (their first label), in family-tree order. */
  readonly families: readonly FamilyScore[];
  readonly misses: ReadonlyArray<{ name: string; expected: readonly ParentGenreId[]; got: ParentGenreId | undefined }>;
}

/** Places every name with `place` (the normaliser by default) and counts the hits. */
export function evaluate(
  list: readonly LabelledGenre[],
  place: (name: string) => ParentGenreId | undefined = (name) => parentGenreOf(name)?.id,
): EvaluationResult {
  const byFamily = new Map<ParentGenreId, { total: number; correct: number }>(
    PARENT_GENRES.map((g) => [g.id, { total: 0, correct: 0 }]),
  );
  const misses: Array<{ name: string; expected: readonly ParentGenreId[]; got: ParentGenreId | undefined }> = [];
  let correct = 0;
  for (const entry of list) {
    const got = place(entry.name);
    const score = byFamily.get(entry.families[0]!)!;
    score.total++;
    if (got !== undefined && entry.families.includes(got)) {
      correct++;
      score.correct++;
    } else misses.push({ name: entry.name, expected: entry.families, got });
  }
  return {
    total: list.length,
    correct,
    accuracy: list.length === 0 ? 0 : correct / list.length,
    families: [...byFamily].map(([family, s]) => ({ family, ...s })),
    misses,
  };
}
