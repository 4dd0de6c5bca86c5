/**
 * MusicBrainz and Last.fm tags are free text, and many say nothing about a family: where the
 * listener heard it ("seen live"), who sings ("female vocalists"), how much they like it
 * ("favorites"), when it came out ("00s") or a nationality on its own ("british", "german").
 * A whole tag like these maps to no family; the same words beside a style ("80s pop", "british
 * folk") leave the style to decide. Every pattern is checked against the canonical form.
 */

// A nationality alone says nothing about the music; families named after a region (k-pop, latin,
// brazilian, afro …) keep theirs, because there the region is the family.
const NATIONALITIES = [
  'american',
  'british',
  'english',
  'uk',
  'us',
  'usa',
  'european',
  'scandinavian',
  'nordic',
  'german',
  'deutsch',
  'french',
  'italian',
  'dutch',
  'belgian',
  'swiss',
  'austrian',
  'swedish',
  'norwegian',
  'danish',
  'finnish',
  'icelandic',
  'irish',
  'scottish',
  'welsh',
  'canadian',
  'australian',
  'new zealand',
  'polish',
  'czech',
  'russian',
  'ukrainian',
  'hungarian',
  'greek',
  'turkish',
  'israeli',
  'portuguese',
];

const NON_GENRE_TAGS = new Set([
  ...NATIONALITIES,
  // listening and collecting
  'seen live',
  'live',
  'favorites',
  'favourites',
  'favorite',
  'favourite',
  'my favorite',
  'my favourite',
  'favorite songs',
  'favourite songs',
  'favorite artists',
  'favourite artists',
  'albums i own',
  'check out',
  'to listen',
  'spotify',
  'youtube',
  // opinions
  'love',
  'loved',
  'awesome',
  'beautiful',
  'amazing',
  'cool',
  'great',
  'good',
  'best',
  'epic',
  'sexy',
  'catchy',
  'underrated',
  // voices and forms of a recording rather than a style
  'female vocalists',
  'female vocalist',
  'male vocalists',
  'male vocalist',
  'female vocals',
  'male vocals',
  'female fronted',
  'singer',
  'vocal',
  'vocals',
  'instrumental',
  'cover',
  'covers',
  'remix',
  'remixes',
]);

// "00s", "80s", "90's", "1980s", "2010s"; bare years ("1994"); "under 2000 listeners".
const NON_GENRE_PATTERNS: readonly RegExp[] = [
  /^(?:\d{2}|1\d{3}|2\d{3})'?s$/,
  /^(?:1\d{3}|2\d{3})$/,
  /^under \d+ listeners$/,
];

/** Whether a canonical tag names no family at all. */
export function isNonGenreTag(canonical: string): boolean {
  return NON_GENRE_TAGS.has(canonical) || NON_GENRE_PATTERNS.some((pattern) => pattern.test(canonical));
}
