/**
 * One look for every chart: Discord's dark surfaces, its brand colours as the palette, and sizes
 * that stay legible when Discord shows the image at about 600 px wide.
 */
export const FONT_FAMILY = 'DejaVu Sans';

export const colours = {
  background: '#2B2D31', // Discord's embed surface in dark mode
  text: '#F2F3F5',
  mutedText: '#B5BAC1',
  labelText: '#DBDEE1',
  grid: '#3F4147',
  accent: '#5865F2', // blurple
  accentSoft: '#8891F5',
  heatLow: '#35373C',
} as const;

export const palette = [
  '#5865F2',
  '#57F287',
  '#FEE75C',
  '#EB459E',
  '#ED4245',
  '#45DDC0',
  '#FAA61A',
  '#9B84EE',
  '#F47FFF',
  '#3BA55C',
  '#99AAB5',
];

export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 360;
export const PIXEL_RATIO = 2;

/** vega-lite `config` block shared by every spec. */
export const vegaLiteConfig = {
  background: colours.background,
  padding: { left: 18, right: 22, top: 16, bottom: 14 },
  font: FONT_FAMILY,
  view: { stroke: null },
  title: {
    color: colours.text,
    fontSize: 18,
    fontWeight: 'bold',
    anchor: 'start',
    offset: 14,
    subtitleColor: colours.mutedText,
    subtitleFontSize: 12,
    subtitlePadding: 4,
  },
  axis: {
    labelColor: colours.labelText,
    titleColor: colours.mutedText,
    gridColor: colours.grid,
    domainColor: colours.grid,
    tickColor: colours.grid,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: 'normal',
  },
  legend: {
    labelColor: colours.labelText,
    titleColor: colours.mutedText,
    labelFontSize: 12,
    titleFontSize: 12,
    symbolType: 'circle',
    labelLimit: 150,
  },
  range: { category: palette },
} as const;
