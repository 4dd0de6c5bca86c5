/**
 * Canonical spelling of a fine genre, following Spotify's own conventions ("hip hop", "r&b",
 * "k-pop", "lo-fi", "drum and bass", no accents), so that variants from other sources
 * (MusicBrainz tags, user input) land on the same string.
 */

/** Spotify's genre names are short; anything longer is noise and is cut (by code point). */
const MAX_GENRE_LENGTH = 80;

// Whole-word spelling variants → Spotify's spelling. Applied after lowercasing and spacing cleanup.
const SPELLINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bhip[- ]?hop\b/g, 'hip hop'],
  [/\b(?:rnb|r ?'?n'? ?b|r and b|r ?& ?b)\b/g, 'r&b'],
  [/\b(?:drum ?(?:&|'?n'?|and) ?bass|d ?& ?b|dnb)\b/g, 'drum and bass'],
  [/\brock ?(?:&|'?n'?|and) ?roll\b/g, 'rock and roll'],
  [/\b([kjc])[- ]?pop\b/g, '$1-pop'],
  [/\b([kj])[- ]?rock\b/g, '$1-rock'],
  [/\blo[- ]?fi\b/g, 'lo-fi'],
  [/\bsynth[- ]pop\b/g, 'synthpop'],
  [/\bpost (punk|rock|hardcore|grunge|metal)\b/g, 'post-$1'],
  [/\bsinger[- ]?songwriter\b/g, 'singer-songwriter'],
  [/\belectronic dance music\b/g, 'edm'],
  [/ & /g, ' and '],
];

// Most names need none of the spellings above: one test of them all saves a dozen replacements.
const ANY_SPELLING = new RegExp(SPELLINGS.map(([pattern]) => pattern.source).join('|'));
// Printable ASCII has no accents or exotic dashes, quotes and spaces to fold.
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

function stripDiacritics(text: string): string {
  // Only Latin combining marks: NFKD also splits Hangul syllables and kana, which NFC rebuilds.
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

// Plain lower-case names ("uk drill") are the common case: they need none of the folding below,
// and the checks that prove it cost a fraction of the regular expressions they skip.
const PLAIN_NAME = /^[a-z0-9](?:[a-z0-9&' ]*[a-z0-9])?$/;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}&]+|[^\p{L}\p{N}&]+$/gu;

function foldSeparators(text: string): string {
  return text
    .replace(/[\u2010-\u2015\u2212_]/g, '-')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\s\u200b-\u200d\ufeff]+/g, ' ')
    .replace(/ ?- ?/g, (m) => (m === '-' ? '-' : ' '))
    .trim();
}

/** The canonical fine genre string; '' when the input holds no letters or digits. */
export function normaliseGenre(genre: unknown): string {
  if (typeof genre !== 'string' || genre.length === 0) return '';
  const head = genre.slice(0, 4 * MAX_GENRE_LENGTH);
  let text = (PLAIN_ASCII.test(head) ? head : stripDiacritics(head)).toLowerCase();
  const plain = PLAIN_NAME.test(text) && !text.includes('  ');
  if (!plain) text = foldSeparators(text);
  if (ANY_SPELLING.test(text))
    for (const [pattern, replacement] of SPELLINGS) text = text.replace(pattern, replacement);
  // Drop punctuation at the edges ("rock!", "(indie)") but keep inner marks such as "pov: indie".
  if (!plain) {
    text = text.replace(EDGE_PUNCTUATION, '');
    if (!/[\p{L}\p{N}]/u.test(text)) return '';
  }
  if (text.length <= MAX_GENRE_LENGTH) return text;
  const codePoints = Array.from(text);
  return codePoints.length > MAX_GENRE_LENGTH ? codePoints.slice(0, MAX_GENRE_LENGTH).join('').trim() : text;
}

const UPPERCASE_WORDS = new Set([
  'uk',
  'us',
  'usa',
  'edm',
  'r&b',
  'idm',
  'ebm',
  'mpb',
  'ccm',
  'dmv',
  'nyc',
  'la',
  'ost',
  'aor',
  'nwobhm',
  'dc',
  'bc',
]);
const FIXED_WORDS = new Map([
  ['k-pop', 'K-pop'],
  ['j-pop', 'J-pop'],
  ['c-pop', 'C-pop'],
  ['j-rock', 'J-rock'],
  ['k-rock', 'K-rock'],
  ['k-rap', 'K-rap'],
  ['j-rap', 'J-rap'],
  ['k-indie', 'K-indie'],
]);

/** A fine genre as a readable label: "indie rock" → "Indie rock", "uk drill" → "UK drill". */
export function displayFineGenre(genre: string): string {
  const words = normaliseGenre(genre)
    .split(' ')
    .map((word) => FIXED_WORDS.get(word) ?? (UPPERCASE_WORDS.has(word) ? word.toUpperCase() : word));
  const first = words[0] ?? '';
  if (first !== '' && first === first.toLowerCase()) words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}
