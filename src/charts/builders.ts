import type { ChartKind, ClockCell, MixPoint, RankedRow } from './specs.js';
import type { RenderJob } from './renderCore.js';
import { NOT_YET_CLASSIFIED, isUnclassified, unclassifiedLast } from '../core/taste/index.js';
import { formatShare, truncateLabel } from './text.js';

/** A chart ready to render, with the alt text Discord shows for the attachment. */
export interface ChartRequest extends RenderJob {
  altText: string;
}
/** Too little data for a chart that would mean anything. */
export interface EmptyChart {
  empty: true;
  kind: ChartKind;
  title: string;
  message: string;
  altText: string;
}
export type ChartResult = ChartRequest | EmptyChart;

export const isEmptyChart = (result: ChartResult): result is EmptyChart => 'empty' in result;

const MAX_BARS = 12;
const LABEL_CHARS = 34;
const ALT_MAX = 1000; // Discord allows 1024 characters of attachment description

interface Titles {
  title: string;
  subtitle?: string;
}

/**
 * A title as the middle of a sentence ("Bar chart of top genres in Encore Fans"): only its first
 * letter is lowered, so server, artist and genre names keep their own capitals.
 */
function sentenceCase(title: string): string {
  const [first = '', second = ''] = title;
  return second && second === second.toUpperCase() && /\p{L}/u.test(second)
    ? title
    : first.toLowerCase() + title.slice(first.length);
}

function empty(kind: ChartKind, title: string, message: string): EmptyChart {
  return { empty: true, kind, title, message, altText: `${title}: ${message}` };
}

function altList(prefix: string, items: string[]): string {
  let text = `${prefix}: `;
  for (const [i, item] of items.entries()) {
    const next = `${i ? ', ' : ''}${item}`;
    if (text.length + next.length > ALT_MAX - 2) return `${text}, …`;
    text += next;
  }
  return `${text}.`;
}

function ranked(
  kind: ChartKind,
  rows: RankedRow[],
  titles: Titles,
  altPrefix: string,
  minRows = 2,
  fullLabels?: string[],
): ChartResult {
  const shown = rows.slice(0, MAX_BARS);
  if (shown.length < minRows)
    return empty(kind, titles.title, 'Not enough data yet — listen a little more and try again.');
  return {
    kind,
    rows: shown,
    ...titles,
    altText: altList(
      altPrefix,
      shown.map((r, i) => {
        const name = fullLabels?.[i] ?? r.label;
        return r.valueLabel ? `${name} ${r.valueLabel}` : `${r.rank}. ${name}`;
      }),
    ),
  };
}

/** Genre shares (0–1), largest first; `valueLabel` replaces the printed percentage when given. */
export function topGenresChart(
  genres: ReadonlyArray<{ genre: string; share: number; valueLabel?: string }>,
  titles: Titles,
): ChartResult {
  // Largest first; what is not classified yet comes last under its one name (src/core/taste).
  const sorted = unclassifiedLast(
    genres.filter((g) => g.share > 0).map((g) => (isUnclassified(g.genre) ? { ...g, genre: NOT_YET_CLASSIFIED } : g)),
    (g) => g.genre,
    (a, b) => b.share - a.share || a.genre.localeCompare(b.genre),
  );
  // The bucket keeps its row however many genres there are: it is the last of the bars, never cut.
  const bucket = sorted.filter((g) => g.genre === NOT_YET_CLASSIFIED);
  const kept = [...sorted.filter((g) => g.genre !== NOT_YET_CLASSIFIED).slice(0, MAX_BARS - bucket.length), ...bucket];
  const rows = kept.map((g, i) => ({
    rank: i + 1,
    label: truncateLabel(g.genre, LABEL_CHARS),
    value: g.share,
    valueLabel: g.valueLabel ?? formatShare(g.share),
  }));
  return ranked(
    'top-genres',
    rows,
    titles,
    `Bar chart of ${sentenceCase(titles.title)}`,
    2,
    sorted.map((g) => g.genre),
  );
}

/**
 * Artists in rank order. Spotify's top lists carry ranks but no play counts, so without a value
 * the bar length shows rank (longest first) and no number is printed that would pretend otherwise.
 */
export function topArtistsChart(
  artists: ReadonlyArray<{ name: string; value?: number; valueLabel?: string }>,
  titles: Titles,
): ChartResult {
  const labels = artists.map((a) => a.name);
  return ranked(
    'top-artists',
    rankedRows(artists.map((a, i) => ({ label: labels[i]!, value: a.value, valueLabel: a.valueLabel }))),
    titles,
    `Ranked bar chart of ${sentenceCase(titles.title)}`,
    2,
    labels,
  );
}

export function topTracksChart(
  tracks: ReadonlyArray<{ name: string; artist: string; value?: number; valueLabel?: string }>,
  titles: Titles,
): ChartResult {
  const labels = tracks.map((t) => `${t.name} — ${t.artist}`);
  return ranked(
    'top-tracks',
    rankedRows(tracks.map((t, i) => ({ label: labels[i]!, value: t.value, valueLabel: t.valueLabel }))),
    titles,
    `Ranked bar chart of ${sentenceCase(titles.title)}`,
    2,
    labels,
  );
}

/** Members ranked by a metric (minutes, plays …); only members who opted in may be passed here. */
export function leaderboardChart(
  members: ReadonlyArray<{ name: string; value: number; valueLabel: string }>,
  titles: Titles,
): ChartResult {
  const sorted = [...members].sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
  const rows = sorted.map((m, i) => ({
    rank: i + 1,
    label: truncateLabel(m.name, 24),
    value: m.value,
    valueLabel: m.valueLabel,
  }));
  return ranked(
    'leaderboard',
    rows,
    titles,
    `Leaderboard bar chart, ${titles.title}`,
    2,
    sorted.map((m) => m.name),
  );
}

/** Genre → how many tracks a split would put in that genre's playlist. */
export function sortPreviewChart(groups: ReadonlyArray<{ genre: string; count: number }>, titles: Titles): ChartResult {
  const sorted = [...groups]
    .filter((g) => g.count > 0)
    .sort((a, b) => b.count - a.count || a.genre.localeCompare(b.genre));
  // The bucket keeps its row however many genres there are: it is the last of the bars, never cut.
  const bucket = sorted.filter((g) => g.genre === NOT_YET_CLASSIFIED);
  const kept = [...sorted.filter((g) => g.genre !== NOT_YET_CLASSIFIED).slice(0, MAX_BARS - bucket.length), ...bucket];
  const rows = kept.map((g, i) => ({
    rank: i + 1,
    label: truncateLabel(g.genre, LABEL_CHARS),
    value: g.count,
    valueLabel: `${g.count}`,
  }));
  return ranked(
    'sort-preview',
    rows,
    titles,
    `Bar chart of tracks per genre playlist`,
    1,
    sorted.map((g) => g.genre),
  );
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Minutes listened per weekday × hour; cells may be sparse. */
export function listeningClockChart(cells: ReadonlyArray<ClockCell>, titles: Titles): ChartResult {
  const total = cells.reduce((sum, c) => sum + c.minutes, 0);
  if (total < 30)
    return empty(
      'listening-clock',
      titles.title,
      'Not enough listening history yet — Encore collects your plays as you listen.',
    );
  const full: ClockCell[] = [];
  const byKey = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.minutes]));
  for (let weekday = 0; weekday < 7; weekday++)
    for (let hour = 0; hour < 24; hour++) full.push({ weekday, hour, minutes: byKey.get(`${weekday}:${hour}`) ?? 0 });
  const peak = full.reduce((a, b) => (b.minutes > a.minutes ? b : a));
  const perDay = DAYS.map((_, d) => full.filter((c) => c.weekday === d).reduce((s, c) => s + c.minutes, 0));
  const busiest = perDay.indexOf(Math.max(...perDay));
  return {
    kind: 'listening-clock',
    rows: full,
    ...titles,
    altText: `Heatmap of listening by weekday and hour, ${Math.round(total)} minutes in all. Busiest day: ${DAYS[busiest]}. Peak hour: ${DAYS[peak.weekday]} ${peak.hour}:00–${peak.hour + 1}:00 (${Math.round(peak.minutes)} minutes).`,
  };
}

/** Weekly genre shares; at most 7 genres are drawn, the rest summed as "Other". */
export function genreMixChart(points: ReadonlyArray<MixPoint>, titles: Titles): ChartResult {
  const weeks = [...new Set(points.map((p) => p.week))].sort();
  if (weeks.length < 2)
    return empty('genre-mix', titles.title, 'Genre mix needs at least two weeks of listening history.');
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.genre, (totals.get(p.genre) ?? 0) + p.share);
  const kept = new Set(
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 7)
      .map(([g]) => g),
  );
  const merged = new Map<string, MixPoint>();
  for (const p of points) {
    const genre = kept.has(p.genre) ? truncateLabel(p.genre, 20) : 'Other';
    const key = `${p.week}|${genre}`;
    const prev = merged.get(key);
    merged.set(key, { week: p.week, genre, share: (prev?.share ?? 0) + p.share });
  }
  const lead = [...kept][0] ?? 'Other';
  return {
    kind: 'genre-mix',
    rows: [...merged.values()],
    ...titles,
    altText: `Stacked area chart of your genre mix over ${weeks.length} weeks (${weeks[0]} to ${weeks.at(-1)}). Genres: ${[...kept].join(', ')}. Largest overall: ${lead}.`,
  };
}

function rankedRows(items: ReadonlyArray<{ label: string; value?: number; valueLabel?: string }>): RankedRow[] {
  const n = Math.min(items.length, MAX_BARS);
  return items.slice(0, MAX_BARS).map((item, i) => ({
    rank: i + 1,
    label: truncateLabel(item.label, LABEL_CHARS),
    value: item.value ?? n - i,
    valueLabel: item.valueLabel ?? '',
  }));
}
