import { createRequire } from 'node:module';
import type { CoverGrid, CoverTile } from '../../app/charts/coverGrid.js';
import { chartBackend, type ChartBackend, type ChartBackendName } from '../backend.js';
import { encodeRgbaPng } from '../png.js';
import { createCoverCache, type CoverCache, type CoverCacheOptions } from '../covers/coverCache.js';
import { colours, FONT_FAMILY, palette } from '../theme.js';

/** Wide enough that a 5×5 tile's two lines of text stay legible when Discord shows it ~600 px wide. */
export const GRID_WIDTH = 960;
const PAD = 20;
const GAP = 6;
const HEADER = 104;
const RADIUS = 10;

type Ctx = CanvasRenderingContext2D;
type Drawable = Parameters<Ctx['drawImage']>[0];
const require = createRequire(import.meta.url);

/**
 * Covers decoded and scaled to a tile once, by the cached bytes' identity (the cover cache hands
 * back the same Buffer while it holds it) and tile size: scaling is most of a cold draw's time.
 */
const scaledBy = new Map<ChartBackendName, WeakMap<Buffer, Map<number, Drawable | null>>>();

async function scaled(backend: ChartBackend, bytes: Buffer, size: number): Promise<Drawable | undefined> {
  let byBytes = scaledBy.get(backend.name);
  if (!byBytes) scaledBy.set(backend.name, (byBytes = new WeakMap()));
  let bySize = byBytes.get(bytes);
  if (!bySize) byBytes.set(bytes, (bySize = new Map()));
  const known = bySize.get(size);
  if (known !== undefined) return known ?? undefined;
  const { loadImage } = require(backend.name) as { loadImage(source: Buffer): Promise<Drawable> };
  const image = await loadImage(bytes).catch(() => null);
  let tile: Drawable | null = null;
  if (image) {
    // The corners are rounded here, once: a clip per tile at every draw costs cairo more than the blits.
    const canvas = backend.createCanvas(size, size);
    const ctx = canvas.getContext('2d');
    ctx.beginPath();
    ctx.roundRect(0, 0, size, size, RADIUS);
    ctx.clip();
    ctx.drawImage(image, 0, 0, size, size);
    tile = canvas as unknown as Drawable;
  }
  bySize.set(size, tile);
  return tile ?? undefined;
}

const hash = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0, 7);

/** "Daft Punk" → "DP", "Blackstar" → "BL"; letters and digits only, so "(What's…" starts at W. */
export function initials(name: string): string {
  const words = name.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return '♪';
  if (words.length === 1) return [...words[0]!].slice(0, 2).join('').toUpperCase();
  return (words[0]![0]! + words[1]![0]!).toUpperCase();
}

/** Fitted labels by font, width and text: measuring through Pango is most of Cairo's draw time. */
const fitted = new Map<string, string>();

/** The text cut to fit `width`, with an ellipsis when cut. */
function fit(ctx: Ctx, text: string, width: number): string {
  const key = `${ctx.font}|${width}|${text}`;
  let label = fitted.get(key);
  if (label === undefined) {
    if (fitted.size >= 5_000) fitted.clear();
    fitted.set(key, (label = measureFit(ctx, text, width)));
  }
  return label;
}

function measureFit(ctx: Ctx, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${chars.slice(0, mid).join('').trimEnd()}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

/** The theme colour a placeholder tile starts from: the same for the same title, different across most. */
export const placeholderColour = (title: string) => palette[hash(title) % palette.length]!;

/** Where tile `index` of a grid of `side` starts, and its size (tests find tiles with it). */
export function tileBox(side: number, index: number): { x: number; y: number; size: number } {
  const size = Math.floor((GRID_WIDTH - 2 * PAD - (side - 1) * GAP) / side);
  return { x: PAD + (index % side) * (size + GAP), y: HEADER + Math.floor(index / side) * (size + GAP), size };
}

function placeholder(ctx: Ctx, tile: CoverTile, x: number, y: number, size: number) {
  const colour = placeholderColour(tile.title);
  const gradient = ctx.createLinearGradient(x, y, x + size, y + size);
  gradient.addColorStop(0, colour);
  gradient.addColorStop(1, colours.heatLow);
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.roundRect(x, y, size, size, RADIUS);
  ctx.fill();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.font = `bold ${Math.round(size * 0.3)}px "${FONT_FAMILY}"`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(initials(tile.title), x + size / 2, y + size * 0.4);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
}

/** From this tile size on (3×3) the artist gets a line of its own instead of sharing the play count's. */
const ROOMY_TILE = 240;

function tileText(ctx: Ctx, tile: CoverTile, x: number, y: number, size: number) {
  const titlePx = Math.max(13, Math.round(size * 0.085));
  const linePx = Math.max(11, Math.round(size * 0.07));
  const plays = `${tile.plays.toLocaleString('en')} play${tile.plays === 1 ? '' : 's'}`;
  const lines =
    tile.artist && size >= ROOMY_TILE ? [tile.artist, plays] : [tile.artist ? `${plays} · ${tile.artist}` : plays];
  const leading = linePx * 1.45;
  const band = titlePx + lines.length * leading + size * 0.1;
  const top = y + size - band * 1.5;
  const shade = ctx.createLinearGradient(0, top, 0, y + size);
  shade.addColorStop(0, 'rgba(0, 0, 0, 0)');
  shade.addColorStop(0.45, 'rgba(0, 0, 0, 0.55)');
  shade.addColorStop(1, 'rgba(0, 0, 0, 0.85)');
  ctx.fillStyle = shade;
  ctx.beginPath();
  ctx.roundRect(x, top, size, y + size - top, [0, 0, RADIUS, RADIUS]);
  ctx.fill();
  const inset = Math.round(size * 0.05);
  const width = size - 2 * inset;
  const bottom = y + size - inset;
  ctx.fillStyle = colours.text;
  ctx.font = `bold ${titlePx}px "${FONT_FAMILY}"`;
  ctx.fillText(fit(ctx, tile.title, width), x + inset, bottom - lines.length * leading);
  ctx.fillStyle = colours.labelText;
  ctx.font = `${linePx}px "${FONT_FAMILY}"`;
  lines.forEach((line, i) => ctx.fillText(fit(ctx, line, width), x + inset, bottom - (lines.length - 1 - i) * leading));
}

/**
 * The grid drawn straight on the chart backend's canvas (no vega): a header, then side × side
 * tiles, each its cover (or a placeholder: the initials on a theme colour) under its title and
 * play count. Empty places after the last tile stay as quiet slots.
 */
export async function drawCoverGrid(
  grid: CoverGrid,
  covers: ReadonlyArray<Buffer | undefined>,
  backendName?: ChartBackendName,
): Promise<Buffer> {
  const backend = chartBackend(backendName);
  const { size } = tileBox(grid.side, 0);
  const height = HEADER + grid.side * size + (grid.side - 1) * GAP + PAD;
  const images = await Promise.all(covers.map((bytes) => (bytes ? scaled(backend, bytes, size) : undefined)));
  const canvas = backend.createCanvas(GRID_WIDTH, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, GRID_WIDTH, height);
  ctx.fillStyle = colours.text;
  ctx.font = `bold 34px "${FONT_FAMILY}"`;
  ctx.fillText(fit(ctx, grid.title, GRID_WIDTH - 2 * PAD), PAD, 50);
  ctx.fillStyle = colours.mutedText;
  ctx.font = `22px "${FONT_FAMILY}"`;
  ctx.fillText(fit(ctx, grid.subtitle, GRID_WIDTH - 2 * PAD), PAD, 84);
  for (let i = 0; i < grid.side * grid.side; i++) {
    const { x, y } = tileBox(grid.side, i);
    const tile = grid.tiles[i];
    const image = images[i];
    if (!tile) {
      ctx.fillStyle = colours.heatLow;
      ctx.beginPath();
      ctx.roundRect(x, y, size, size, RADIUS);
      ctx.fill();
    } else {
      if (image) ctx.drawImage(image, x, y);
      else placeholder(ctx, tile, x, y, size);
      tileText(ctx, tile, x, y, size);
    }
  }
  // Both backends through the same encoder: measured on the 2-core machine, Cairo's own PNG path
  // took ~3× as long as reading the pixels back and deflating them on the thread pool.
  return encodeRgbaPng(ctx.getImageData(0, 0, GRID_WIDTH, height).data, GRID_WIDTH, height);
}

export interface CoverGridImages {
  render(grid: CoverGrid): Promise<Buffer>;
  readonly cache: CoverCache;
}

/** Cover grids with their covers from one on-disk cache. */
export function createCoverGridImages(options: CoverCacheOptions & { backend?: ChartBackendName }): CoverGridImages {
  const cache = createCoverCache(options);
  return {
    cache,
    async render(grid) {
      return drawCoverGrid(grid, await cache.covers(grid.tiles.map((t) => t.cover)), options.backend);
    },
  };
}
