const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens a label to at most `max` visible characters (graphemes, so emoji and accents are
 * never cut in half), ending with an ellipsis when something was removed.
 */
export function truncateLabel(label: string, max: number): string {
  const clean = label.replace(/\s+/g, ' ').trim();
  const graphemes = Array.from(segmenter.segment(clean), (s) => s.segment);
  if (graphemes.length <= max) return clean;
  return `${graphemes
    .slice(0, Math.max(1, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** "34 %" style share, with one decimal below 10 %. */
export function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}
