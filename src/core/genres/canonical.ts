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

function stripDiacritics(text: string): string {
  // Only Latin combining marks: NFKD also splits Hangul syllables and kana, which NFC rebuilds.
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

/** The canonical fine genre string; '' when the input holds no letters or digits. */
export function normaliseGenre(genre: unknown): string {
  if (typeof genre !== 'string' || genre.length === 0) return '';
  let text = stripDiacritics(genre.slice(0, 4 * MAX_GENRE_LENGTH)).toLowerCase();
  text = text
    .replace(/[\u2010-\u2015\u2212_]/g, '-')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\s\u200b-\u200d\ufeff]+/g, ' ')
    .replace(/ ?- ?/g, (m) => (m === '-' ? '-' : ' '))
    .trim();
  for (const [pattern, replacement] of SPELLINGS) text = text.replace(pattern, replacement);
  // Drop punctuation at the edges ("rock!", "(indie)") but keep inner marks such as "pov: indie".
  text = text.replace(/^[^\p{L}\p{N}&]+|[^\p{L}\p{N}&]+$/gu, '');
  if (!/[\p{L}\p{N}]/u.test(text)) return '';
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
