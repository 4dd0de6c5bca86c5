import type { ChartResult } from './builders.js';
import type { AwardCard } from './specs.js';
import { palette } from './theme.js';
import { truncateLabel } from './text.js';

const COLUMNS = 3;
const LINE_CHARS = 28;
const MAX_LINES = 4;

/** Wraps `text` at spaces into lines of at most LINE_CHARS (a longer word is cut), at most MAX_LINES. */
export function wrapLine(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= LINE_CHARS) line = next;
    else {
      if (line) lines.push(line);
      line = truncateLabel(word, LINE_CHARS);
    }
  }
  if (line) lines.push(line);
  const kept = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) kept[MAX_LINES - 1] = truncateLabel(`${kept[MAX_LINES - 1]!} …`, LINE_CHARS);
  return kept.join('\n');
}

/** The server year's award cards (at most six), one image; the alt text reads every card. */
export function awardCardsChart(
  cards: ReadonlyArray<{ award: string; winner: string; line: string }>,
  titles: { title: string; subtitle?: string },
): ChartResult {
  const shown = cards.slice(0, 2 * COLUMNS);
  if (shown.length === 0)
    return {
      empty: true,
      kind: 'award-cards',
      title: titles.title,
      message: 'No awards yet.',
      altText: `${titles.title}: no awards yet.`,
    };
  const rows: AwardCard[] = shown.map((c, i) => ({
    col: i % COLUMNS,
    row: Math.floor(i / COLUMNS),
    award: c.award,
    winner: truncateLabel(c.winner, 26),
    line: wrapLine(c.line),
    colour: palette[i % palette.length]!,
  }));
  const alt = `${titles.title}: ${shown.map((c) => `${c.award}: ${c.winner} (${c.line})`).join('; ')}.`;
  return { kind: 'award-cards', rows, ...titles, altText: alt.length > 1000 ? `${alt.slice(0, 998)}…` : alt };
}
