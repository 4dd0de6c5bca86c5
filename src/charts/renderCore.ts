import { Canvas } from 'canvas';
import { parse, View, type Runtime } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { registerChartFonts } from './fonts.js';
import { specs, type ChartKind, type ChartRows } from './specs.js';
import { PIXEL_RATIO } from './theme.js';

/** What a renderer needs: everything else is fixed per kind. */
export interface RenderJob {
  kind: ChartKind;
  rows: ChartRows;
  title: string;
  subtitle?: string;
}

/**
 * Renders with one vega View per chart kind, compiled and parsed once and then only fed new data
 * and title signals. Compiling vega-lite and parsing the vega dataflow is the expensive part of a
 * naive pipeline; a warm View only re-runs its dataflow and draws.
 */
export class CachedChartRenderer {
  private readonly views = new Map<ChartKind, View>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    registerChartFonts();
  }

  render(job: RenderJob): Promise<Buffer> {
    // A View holds one dataset at a time: renders of the same renderer take turns.
    const result = this.queue.then(() => this.renderNow(job));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async renderNow(job: RenderJob): Promise<Buffer> {
    const view = this.viewFor(job.kind);
    view.data('table', job.rows as object[]).signal('chartTitle', job.title).signal('chartSubtitle', job.subtitle ?? '');
    // autosize "fit" starts from the last layout; resize() makes a reused view lay out exactly
    // as a fresh one would, so the same data always gives the same picture.
    view.resize();
    await view.runAsync();
    const canvas = (await view.toCanvas(PIXEL_RATIO)) as unknown as Canvas;
    return encodePng(canvas);
  }

  private viewFor(kind: ChartKind): View {
    let view = this.views.get(kind);
    if (!view) {
      view = new View(compileKind(kind), { renderer: 'none' });
      this.views.set(kind, view);
    }
    return view;
  }
}

/**
 * vega-lite's schema allows only literal title text, while vega lets a title follow a signal:
 * bind the compiled title to the chartTitle/chartSubtitle params so one compiled view serves
 * every chart of a kind.
 */
export function compileKind(kind: ChartKind): Runtime {
  const vega = compile(specs[kind] as unknown as TopLevelSpec).spec;
  const title = typeof vega.title === 'object' ? vega.title : {};
  vega.title = { ...title, text: { signal: 'chartTitle' }, subtitle: { signal: 'chartSubtitle' } } as typeof vega.title;
  return parse(vega);
}

/**
 * PNG encoding through canvas's asynchronous (libuv thread pool) path. Charts are large flat
 * areas: libpng's adaptive row filters cost ~4× the time for ~10 % smaller files, so rows go
 * unfiltered at zlib level 3 (bench/charts.bench.ts; ~60 KB per chart).
 */
export function encodePng(canvas: Canvas): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    canvas.toBuffer((error, buffer) => (error ? reject(error) : resolve(buffer)), 'image/png', {
      compressionLevel: 3,
      filters: Canvas.PNG_FILTER_NONE,
    });
  });
}

/** The naive pipeline (compile + parse + render + encode per chart), kept for the bench. */
export async function renderNaively(job: RenderJob): Promise<Buffer> {
  registerChartFonts();
  const view = new View(compileKind(job.kind), { renderer: 'none' });
  view.data('table', job.rows as object[]).signal('chartTitle', job.title).signal('chartSubtitle', job.subtitle ?? '');
  await view.runAsync();
  const canvas = (await view.toCanvas(PIXEL_RATIO)) as unknown as Canvas;
  const png = canvas.toBuffer('image/png');
  view.finalize();
  return png;
}
