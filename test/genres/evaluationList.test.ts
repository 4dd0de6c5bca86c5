import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseGenre } from '../../src/core/genres/canonical.js';
import type { ParentGenreId } from '../../src/core/genres/familyTree.js';
import { EVALUATION_TARGET, evaluate, loadEvaluationList, type LabelledGenre } from './evaluation/evaluationList.js';

const list = loadEvaluationList();

describe('the evaluation list of issue 27', () => {
  it('holds at least 2,000 distinct real genre names, each labelled with one or two families, and names its source', () => {
    expect(list.length).toBeGreaterThanOrEqual(2_000);
    expect(new Set(list.map((entry) => normaliseGenre(entry.name))).size).toBe(list.length);
    for (const entry of list) expect(new Set(entry.families).size).toBe(entry.families.length);
    const readme = readFileSync(new URL('./evaluation/README.md', import.meta.url), 'utf8');
    expect(readme).toContain('omarolaes/antiplaylist');
    expect(readme).toContain('3e7262eb3f35fed6c0a4d8c22a3a891b8f9f1a06');
    // The held-out sample is a different part of the source: no name in both.
    const yardstick = new Set(list.map((entry) => entry.name));
    expect(loadEvaluationList('holdout.tsv').filter((entry) => yardstick.has(entry.name))).toEqual([]);
  });

  it(`places at least ${EVALUATION_TARGET * 100} % of it in a labelled family`, () => {
    const result = evaluate(list);
    // On failure, the misses say which names went where.
    const misses = result.misses.map((m) => `${m.name}: ${m.got ?? 'nothing'} (labelled ${m.expected.join(' or ')})`);
    expect(result.accuracy, `misses:\n${misses.join('\n')}`).toBeGreaterThanOrEqual(EVALUATION_TARGET);
  });

  it('counts a name right under either of its labels, and wrong or unplaced otherwise, per first label', () => {
    const sample: LabelledGenre[] = [
      { name: 'a', families: ['rock'] },
      { name: 'b', families: ['latin', 'hip-hop'] },
      { name: 'c', families: ['latin', 'hip-hop'] },
      { name: 'd', families: ['jazz'] },
    ];
    const answers: Record<string, ParentGenreId | undefined> = { a: 'rock', b: 'hip-hop', c: 'pop', d: undefined };
    const result = evaluate(sample, (name) => answers[name]);
    expect(result.correct).toBe(2);
    expect(result.accuracy).toBe(0.5);
    expect(result.families.find((f) => f.family === 'latin')).toEqual({ family: 'latin', total: 2, correct: 1 });
    expect(result.misses.map((m) => [m.name, m.got])).toEqual([
      ['c', 'pop'],
      ['d', undefined],
    ]);
  });
});
