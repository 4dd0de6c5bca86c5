import { createRequire } from 'node:module';
import type * as Skia from '@napi-rs/canvas';
import path from 'node:path';
import { encodeRgbaPng } from './png.js';
import { FONT_FAMILY } from './theme.js';

/**
 * Which canvas draws the charts. `canvas` (node-canvas: Cairo and Pango) is the renderer wherever
 * it loads; it is an optional dependency because it compiles from source where no prebuilt binary
 * can be downloaded, and needs system libraries to do so. Where it did not install, npm drops it
 * and `@napi-rs/canvas` (Skia, shipped as a prebuilt binary inside an npm package) takes over.
 * Both draw with the DejaVu Sans files of the `dejavu-fonts-ttf` npm package, so no machine needs
 * system fonts and both paths lay text out with the same glyphs.
 */
export type ChartBackendName = 'canvas' | '@napi-rs/canvas';

/** The part of a 2D canvas the chart code draws with; both packages implement it. */
export interface ChartCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): CanvasRenderingContext2D;
}

export interface ChartBackend {
  name: ChartBackendName;
  createCanvas(width: number, height: number): ChartCanvas;
  encodePng(canvas: ChartCanvas): Promise<Buffer>;
  /** True when `canvas` is an object this backend made (vega draws into whichever canvas it loaded). */
  owns(canvas: unknown): boolean;
}

export interface ChartBackendChoice {
  name: ChartBackendName;
  /** Why `canvas` is not used, when it is not. */
  reason?: string;
}

const require = createRequire(import.meta.url);

/** DejaVu Sans from the npm package, regular and bold. */
export function chartFontFiles(): { regular: string; bold: string } {
  const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return { regular: path.join(dir, 'DejaVuSans.ttf'), bold: path.join(dir, 'DejaVuSans-Bold.ttf') };
}

let detected: ChartBackendChoice | undefined;

/** `canvas` when its native module loads here, else `@napi-rs/canvas`, with the reason. */
export function detectChartBackend(): ChartBackendChoice {
  if (detected) return detected;
  try {
    require('canvas');
    detected = { name: 'canvas' };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    detected = { name: '@napi-rs/canvas', reason: `canvas did not load: ${message}` };
  }
  return detected;
}

const backends = new Map<ChartBackendName, ChartBackend>();

/** The backend of that name (the detected one by default), its fonts registered. */
export function chartBackend(name: ChartBackendName = detectChartBackend().name): ChartBackend {
  let backend = backends.get(name);
  if (!backend) {
    backend = name === 'canvas' ? cairoBackend() : skiaBackend();
    backends.set(name, backend);
  }
  return backend;
}

interface NodeCanvasCanvas extends ChartCanvas {
  toBuffer(
    callback: (error: Error | null, buffer: Buffer) => void,
    mime: 'image/png',
    options: { compressionLevel: number; filters: number },
  ): void;
}
interface NodeCanvasModule {
  Canvas: (new (width: number, height: number) => NodeCanvasCanvas) & { PNG_FILTER_NONE: number };
  createCanvas(width: number, height: number): NodeCanvasCanvas;
  registerFont(file: string, face: { family: string; weight?: string }): void;
}

function cairoBackend(): ChartBackend {
  const canvas = require('canvas') as NodeCanvasModule;
  const fonts = chartFontFiles();
  canvas.registerFont(fonts.regular, { family: FONT_FAMILY });
  canvas.registerFont(fonts.bold, { family: FONT_FAMILY, weight: 'bold' });
  return {
    name: 'canvas',
    createCanvas: (width, height) => canvas.createCanvas(width, height),
    owns: (c) => c instanceof canvas.Canvas,
    /**
     * Through canvas's asynchronous (libuv thread pool) path. Charts are large flat areas:
     * libpng's adaptive row filters cost ~4× the time for ~10 % smaller files, so rows go
     * unfiltered at zlib level 3 (bench/charts.bench.ts; ~60 KB per chart).
     */
    encodePng: (c) =>
      new Promise((resolve, reject) => {
        (c as NodeCanvasCanvas).toBuffer((error, buffer) => (error ? reject(error) : resolve(buffer)), 'image/png', {
          compressionLevel: 3,
          filters: canvas.Canvas.PNG_FILTER_NONE,
        });
      }),
  };
}

function skiaBackend(): ChartBackend {
  const skia = require('@napi-rs/canvas') as typeof Skia;
  const fonts = chartFontFiles();
  skia.GlobalFonts.registerFromPath(fonts.regular, FONT_FAMILY);
  skia.GlobalFonts.registerFromPath(fonts.bold, FONT_FAMILY);
  return {
    name: '@napi-rs/canvas',
    createCanvas: (width, height) => skia.createCanvas(width, height) as unknown as ChartCanvas,
    owns: (c) => c instanceof skia.Canvas,
    encodePng: (c) => encodeRgbaPng(c.getContext('2d').getImageData(0, 0, c.width, c.height).data, c.width, c.height),
  };
}
