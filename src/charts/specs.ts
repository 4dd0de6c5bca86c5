import { CHART_HEIGHT, CHART_WIDTH, colours, vegaLiteConfig } from './theme.js';

export type ChartKind =
  | 'top-genres'
  | 'top-artists'
  | 'top-tracks'
  | 'leaderboard'
  | 'sort-preview'
  | 'listening-clock'
  | 'genre-mix'
  | 'award-cards';
export const CHART_KINDS: readonly ChartKind[] = [
  'top-genres',
  'top-artists',
  'top-tracks',
  'leaderboard',
  'sort-preview',
  'listening-clock',
  'genre-mix',
  'award-cards',
];

/** A bar in a ranked chart; `valueLabel` is what is printed at the end of the bar. */
export interface RankedRow {
  rank: number;
  label: string;
  value: number;
  valueLabel: string;
}
export interface ClockCell {
  weekday: number; // 0 = Monday … 6 = Sunday
  hour: number; // 0–23
  minutes: number;
}
export interface MixPoint {
  week: string; // ISO date of the week's Monday
  genre: string;
  share: number; // 0–1 of that week's listening
}
/** One award card of the server's year, in a 3 × 2 grid: `line` is already wrapped with newlines. */
export interface AwardCard {
  col: number;
  row: number;
  award: string;
  winner: string;
  line: string;
  colour: string;
}
export type ChartRows = RankedRow[] | ClockCell[] | MixPoint[] | AwardCard[];

/** Data and the title are the only things that vary between two charts of one kind. */
const frame: VegaLiteJson = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: CHART_WIDTH,
  height: CHART_HEIGHT,
  autosize: { type: 'fit', contains: 'padding' },
  params: [
    { name: 'chartTitle', value: '' },
    { name: 'chartSubtitle', value: '' },
  ],
  // Placeholders: renderCore binds the compiled title to the chartTitle/chartSubtitle signals.
  title: { text: 'title', subtitle: 'subtitle' },
  data: { name: 'table' },
  // No ARIA descriptions: nothing reads them in a PNG (the alt text comes from builders.ts), and
  // each mark's description was a formatted string per item on every render.
  config: { ...vegaLiteConfig, aria: false },
};

/** A vega-lite spec as plain JSON; tests validate every one against vega-lite's schema. */
export type VegaLiteJson = Record<string, unknown>;

function rankedBar(showRank: boolean, colourByRank: boolean): VegaLiteJson {
  return {
    ...frame,
    transform: [
      { calculate: showRank ? "'#' + datum.rank + '  ' + datum.label" : 'datum.label', as: 'display' },
      { calculate: 'length(datum.valueLabel)', as: 'labelChars' },
      {
        joinaggregate: [
          { op: 'max', field: 'value', as: 'maxValue' },
          { op: 'max', field: 'labelChars', as: 'maxLabelChars' },
        ],
      },
      // Room at the end of the longest bar for the longest value label ("35% · 195 plays · 16 h 48 min").
      { calculate: 'datum.maxValue * (1.08 + 0.026 * datum.maxLabelChars)', as: 'room' },
    ],
    encoding: {
      y: {
        field: 'display',
        type: 'nominal',
        // By rank, explicitly: with `sort: null` a warm view (renderCore) keeps the order in which
        // it first saw a label, so a later chart with the same labels in another order came out unsorted.
        sort: { field: 'rank', op: 'min', order: 'ascending' },
        axis: { title: null, ticks: false, domain: false, labelPadding: 10, labelLimit: 250, labelFontSize: 13 },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 5, height: { band: 0.7 } },
        encoding: {
          // Unstacked: a stacked bar with cornerRadiusEnd makes vega-lite draw each bar as a clipped
          // group of its own, a dataflow per label that a warm view had to parse for every new label.
          x: { field: 'value', type: 'quantitative', axis: null, scale: { zero: true }, stack: null },
          color: colourByRank
            ? { condition: { test: 'datum.rank === 1', value: colours.accent }, value: colours.accentSoft }
            : { value: colours.accent },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 12, color: colours.labelText },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'valueLabel' } },
      },
      { mark: { type: 'tick', opacity: 0 }, encoding: { x: { field: 'room', type: 'quantitative' } } },
    ],
  };
}

const listeningClock: VegaLiteJson = {
  ...frame,
  transform: [{ calculate: "['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][datum.weekday]", as: 'day' }],
  mark: { type: 'rect', cornerRadius: 3, stroke: colours.background, strokeWidth: 2 },
  encoding: {
    x: {
      field: 'hour',
      type: 'ordinal',
      scale: { domain: Array.from({ length: 24 }, (_, h) => h) },
      axis: {
        title: null,
        labelExpr: "datum.value % 3 === 0 ? datum.value + 'h' : ''",
        ticks: false,
        domain: false,
        labelAngle: 0,
      },
    },
    y: {
      field: 'day',
      type: 'ordinal',
      scale: { domain: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] },
      axis: { title: null, ticks: false, domain: false, labelPadding: 8 },
    },
    color: {
      field: 'minutes',
      type: 'quantitative',
      scale: { range: [colours.heatLow, colours.accent, '#C9CDFB'] },
      legend: { title: 'minutes', orient: 'bottom', gradientLength: 200, direction: 'horizontal' },
    },
  },
};

const genreMix: VegaLiteJson = {
  ...frame,
  mark: { type: 'area', interpolate: 'monotone', line: false, opacity: 0.95 },
  encoding: {
    x: {
      field: 'week',
      type: 'temporal',
      axis: { title: null, format: '%d %b', labelAngle: 0, grid: false, tickCount: 6 },
    },
    y: {
      field: 'share',
      type: 'quantitative',
      stack: 'normalize',
      axis: { title: null, format: '.0%', grid: true, tickCount: 4 },
    },
    color: { field: 'genre', type: 'nominal', legend: { title: null, orient: 'right' } },
    order: { field: 'genre' },
  },
};

const cardText = (field: string, dy: number, style: Record<string, unknown>): VegaLiteJson => ({
  mark: { type: 'text', align: 'center', baseline: 'top', lineBreak: '\n', limit: 180, dy, ...style },
  encoding: { y: { field: 'row', type: 'quantitative' }, text: { field } },
});

/** The server year's awards: a card each, in a 3 × 2 grid (cells from `col`, `row`). */
const awardCards: VegaLiteJson = {
  ...frame,
  transform: [
    { calculate: 'datum.col + 0.04', as: 'x0' },
    { calculate: 'datum.col + 0.96', as: 'x1' },
    { calculate: 'datum.col + 0.5', as: 'cx' },
    { calculate: 'datum.row + 0.05', as: 'y0' },
    { calculate: 'datum.row + 0.95', as: 'y1' },
  ],
  encoding: {
    x: { field: 'cx', type: 'quantitative', scale: { domain: [0, 3] }, axis: null },
  },
  layer: [
    {
      mark: { type: 'rect', cornerRadius: 8, fill: colours.heatLow },
      encoding: {
        x: { field: 'x0', type: 'quantitative', scale: { domain: [0, 3] }, axis: null },
        x2: { field: 'x1' },
        y: { field: 'y0', type: 'quantitative', scale: { domain: [0, 2], reverse: true }, axis: null },
        y2: { field: 'y1' },
        stroke: { field: 'colour', type: 'nominal', scale: null },
      },
    },
    {
      ...cardText('award', 16, { fontSize: 15, fontWeight: 'bold' }),
      encoding: {
        y: { field: 'row', type: 'quantitative', scale: { domain: [0, 2], reverse: true }, axis: null },
        text: { field: 'award' },
        color: { field: 'colour', type: 'nominal', scale: null },
      },
    },
    cardText('winner', 42, { fontSize: 13, color: colours.text, fontWeight: 'bold' }),
    cardText('line', 68, { fontSize: 11, color: colours.mutedText, lineHeight: 14 }),
  ],
};

/** The vega-lite spec of each kind; data arrives later through the `table` dataset. */
export const specs: Record<ChartKind, VegaLiteJson> = {
  'top-genres': rankedBar(false, true),
  'top-artists': rankedBar(true, true),
  'top-tracks': rankedBar(true, true),
  leaderboard: rankedBar(true, true),
  'sort-preview': rankedBar(false, false),
  'listening-clock': listeningClock,
  'genre-mix': genreMix,
  'award-cards': awardCards,
};
