import { normaliseGenre } from './canonical.js';
import { EXPLICIT_GENRES } from './explicitTable.js';
import { parentGenreById, type ParentGenre, type ParentGenreId } from './familyTree.js';
import { isNonGenreTag } from './nonGenreTags.js';
import { buildRuleIndex, firstRuleParent } from './ruleIndex.js';
import { WORD_RULES } from './wordRules.js';

const RULE_INDEX = buildRuleIndex(WORD_RULES);

/** Which rule decides a canonical genre; exported for tests that explain a mapping. */
export function parentIdOfCanonical(canonical: string): ParentGenreId | undefined {
  if (canonical === '' || isNonGenreTag(canonical)) return undefined;
  const explicit = EXPLICIT_GENRES.get(canonical);
  if (explicit) return explicit;
  return firstRuleParent(RULE_INDEX, canonical);
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
