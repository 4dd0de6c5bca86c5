import { chartBackend, type ChartBackendName } from './backend.js';
import { CHART_HEIGHT, CHART_WIDTH, colours, FONT_FAMILY, PIXEL_RATIO } from './theme.js';

/** A calm card that says why there is no chart, in the same size and colours as a chart. */
export async function renderEmptyChart(
  title: string,
  message: string,
  backendName?: ChartBackendName,
): Promise<Buffer> {
  const backend = chartBackend(backendName);
  const canvas = backend.createCanvas(CHART_WIDTH * PIXEL_RATIO, CHART_HEIGHT * PIXEL_RATIO);
  const ctx = canvas.getContext('2d');
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, CHART_WIDTH, CHART_HEIGHT);
  ctx.fillStyle = colours.text;
  ctx.font = `bold 18px "${FONT_FAMILY}"`;
  ctx.fillText(title, 18, 34);
  ctx.fillStyle = colours.grid;
  for (let i = 0; i < 5; i++) {
    const width = 380 - i * 60;
    ctx.beginPath();
    ctx.roundRect(120, 80 + i * 40, width, 22, 5);
    ctx.fill();
  }
  ctx.fillStyle = colours.mutedText;
  ctx.font = `14px "${FONT_FAMILY}"`;
  ctx.textAlign = 'center';
  wrap(message, 520).forEach((line, i) => ctx.fillText(line, CHART_WIDTH / 2, 300 + i * 20));
  return backend.encodePng(canvas);
}

function wrap(text: string, width: number): string[] {
  const approxChars = Math.floor(width / 8);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > approxChars) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}
