import type { ParentGenreId } from './familyTree.js';
import type { WordRule } from './wordRules.js';

/**
 * The word rules as lookup tables. A rule's word matches a whole run of words in the name, so
 * instead of one regular expression per rule (tried in turn, some 20 µs a name with the longer
 * lists) the name is cut into words once and every run of up to `maxWords` of them is looked up;
 * the earliest rule that any run hits wins, exactly as "first rule that matches" did.
 */

// Letters and digits only: '-', '&', "'" and spaces are word boundaries, so "nu-metal" has the word "metal".
const WORD = /[\p{L}\p{N}]+/gu;
const STARTS_AND_ENDS_WITH_A_WORD = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/u;

export interface RuleIndex {
  /** Whole words and phrases as written in the rules → position of the first rule listing them. */
  readonly phrases: ReadonlyMap<string, number>;
  readonly maxWords: number;
  /** Word endings ("krautrock") and beginnings ("indiecoustica"), keyed by their own length. */
  readonly suffixes: ReadonlyMap<number, ReadonlyMap<string, number>>;
  readonly prefixes: ReadonlyMap<number, ReadonlyMap<string, number>>;
  readonly parents: readonly ParentGenreId[];
}

function keepFirst(map: Map<string, number>, key: string, position: number): void {
  if (!STARTS_AND_ENDS_WITH_A_WORD.test(key))
    throw new Error(`genre word rule "${key}" must start and end with a letter or digit`);
  if (!map.has(key)) map.set(key, position);
}

function byLength(entries: Map<string, number>): Map<number, Map<string, number>> {
  const grouped = new Map<number, Map<string, number>>();
  for (const [key, position] of entries) {
    const group = grouped.get(key.length) ?? new Map<string, number>();
    group.set(key, position);
    grouped.set(key.length, group);
  }
  return grouped;
}

export function buildRuleIndex(rules: readonly WordRule[]): RuleIndex {
  const phrases = new Map<string, number>();
  const suffixes = new Map<string, number>();
  const prefixes = new Map<string, number>();
  let maxWords = 1;
  rules.forEach((rule, position) => {
    for (const word of rule.words) {
      keepFirst(phrases, word, position);
      maxWords = Math.max(maxWords, word.match(WORD)?.length ?? 1);
    }
    for (const suffix of rule.suffixes ?? []) keepFirst(suffixes, suffix, position);
    for (const prefix of rule.prefixes ?? []) keepFirst(prefixes, prefix, position);
  });
  return {
    phrases,
    maxWords,
    suffixes: byLength(suffixes),
    prefixes: byLength(prefixes),
    parents: rules.map((rule) => rule.parent),
  };
}

function earlier(best: number, found: number | undefined): number {
  return found !== undefined && found < best ? found : best;
}

const IS_WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  // Outside ASCII (accents are gone after normalising; other scripts remain) ask Unicode.
  return IS_WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at)!));
}

/** The family of the first rule with a word in this canonical name, if any. */
export function firstRuleParent(index: RuleIndex, canonical: string): ParentGenreId | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < canonical.length;) {
    if (!isWordChar(canonical, at)) {
      at++;
      continue;
    }
    const start = at;
    while (at < canonical.length && isWordChar(canonical, at)) at += canonical.codePointAt(at)! > 0xffff ? 2 : 1;
    starts.push(start);
    ends.push(at);
  }
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < starts.length; i++) {
    const word = canonical.slice(starts[i], ends[i]);
    // A suffix or prefix needs at least one more letter: "wave" alone is not "vaporwave"'s family.
    for (const [length, group] of index.suffixes)
      if (word.length > length) best = earlier(best, group.get(word.slice(word.length - length)));
    for (const [length, group] of index.prefixes)
      if (word.length > length) best = earlier(best, group.get(word.slice(0, length)));
    const last = Math.min(starts.length, i + index.maxWords) - 1;
    for (let j = i; j <= last; j++) best = earlier(best, index.phrases.get(canonical.slice(starts[i], ends[j])));
  }
  return Number.isFinite(best) ? index.parents[best] : undefined;
}
