/** Spotify rejects playlist names longer than this; we count UTF-16 units, the stricter measure. */
export const MAX_PLAYLIST_NAME_LENGTH = 100;
const SEPARATOR = ' · ';
const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts text to at most `max` UTF-16 units without splitting a grapheme (emoji, accents), adding "…". */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length + ELLIPSIS.length > max) break;
    kept += segment;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** "<source> · <genre>", shortening the source name (never the genre) to fit Spotify's limit. */
export function genrePlaylistName(sourceName: string, genreName: string): string {
  const source = sourceName.replace(/\s+/g, ' ').trim() || 'Playlist';
  const genre = truncateText(genreName.trim(), MAX_PLAYLIST_NAME_LENGTH - SEPARATOR.length - 1 - ELLIPSIS.length);
  const room = MAX_PLAYLIST_NAME_LENGTH - SEPARATOR.length - genre.length;
  return `${truncateText(source, room)}${SEPARATOR}${genre}`;
}
