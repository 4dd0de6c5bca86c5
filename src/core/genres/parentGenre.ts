import { normaliseGenre } from './canonical.js';
import { EXPLICIT_GENRES } from './explicitTable.js';
import { parentGenreById, type ParentGenre, type ParentGenreId } from './familyTree.js';
import { WORD_RULES } from './wordRules.js';

// Letters and digits only: '-', '&', "'" and spaces are word boundaries, so "nu-metal" has the word "metal".
const WORD_CHAR = '[\\p{L}\\p{N}]';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const COMPILED_RULES: ReadonlyArray<{ parent: ParentGenreId; pattern: RegExp }> = WORD_RULES.map((rule) => {
  const alternatives = rule.words.map(escape);
  // A suffix needs at least one letter before it: "wave" alone is not "vaporwave"'s family.
  const suffixes = (rule.suffixes ?? []).map((s) => `${WORD_CHAR}+${escape(s)}`);
  const body = [...alternatives, ...suffixes].join('|');
  return { parent: rule.parent, pattern: new RegExp(`(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})`, 'u') };
});

/** Which rule decides a canonical genre; exported for tests that explain a mapping. */
export function parentIdOfCanonical(canonical: string): ParentGenreId | undefined {
  if (canonical === '') return undefined;
  const explicit = EXPLICIT_GENRES.get(canonical);
  if (explicit) return explicit;
  for (const rule of COMPILED_RULES) if (rule.pattern.test(canonical)) return rule.parent;
  return undefined;
}

// Playlists repeat the same few hundred genres thousands of times; remember answers, boundedly.
const MEMO_LIMIT = 20_000;
const memo = new Map<string, ParentGenreId | null>();

/** The parent genre a Spotify (or MusicBrainz) genre string belongs to; undefined when unknown. */
export function parentGenreOf(genre: string): ParentGenre | undefined {
  if (typeof genre !== 'string') return undefined;
  let id = memo.get(genre);
  if (id === undefined) {
    id = parentIdOfCanonical(normaliseGenre(genre)) ?? null;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(genre, id);
  }
  return id === null ? undefined : parentGenreById(id);
}
