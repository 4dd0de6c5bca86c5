import { parse, View, type Runtime } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import './vegaLiteSetPatch.js';
import { chartBackend, type ChartBackend, type ChartBackendName, type ChartCanvas } from './backend.js';
import { specs, type ChartKind, type ChartRows } from './specs.js';
import { encodePngSync } from './png.js';
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
 * naive pipeline; a warm View only re-runs its dataflow, draws into the one canvas this renderer
 * keeps, and encodes (bench/charts.bench.ts).
 */
export class CachedChartRenderer {
  private readonly views = new Map<ChartKind, View>();
  private canvas: ChartCanvas | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly backend: ChartBackend;

  /** `backend` must be the canvas vega loaded in this thread (see renderWorker.bootstrap.mjs). */
  constructor(backend?: ChartBackendName) {
    this.backend = chartBackend(backend);
  }

  render(job: RenderJob): Promise<Buffer> {
    // A View holds one dataset at a time: renders of the same renderer take turns.
    const result = this.queue.then(() => this.renderNow(job));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async renderNow(job: RenderJob): Promise<Buffer> {
    const view = this.viewFor(job.kind);
    view
      .data('table', job.rows as object[])
      .signal('chartTitle', job.title)
      .signal('chartSubtitle', job.subtitle ?? '');
    // autosize "fit" starts from the last layout; resize() makes a reused view lay out exactly
    // as a fresh one would, so the same data always gives the same picture.
    view.resize();
    await view.runAsync();
    // Drawn into one canvas kept for every render (renders take turns, and each is encoded before
    // the next starts) instead of a new 1200×720 canvas per chart. The first is vega's own, made
    // by the canvas package vega loaded: it must be the backend's, or vega measured text with
    // another. Every chart has the frame's size (specs.ts), so the canvas fits them all.
    const canvas = (this.canvas ??= await this.firstCanvas(view));
    const context = canvas.getContext('2d');
    // Vega scales and translates an external context without resetting it, and leaves clearing
    // it to its owner; the charts' background is opaque and vega fills the whole canvas with it.
    context.setTransform(1, 0, 0, 1, 0, 0);
    if (!view.background()) context.clearRect(0, 0, canvas.width, canvas.height);
    await view.toCanvas(PIXEL_RATIO, { externalContext: context });
    return encodeCanvas(canvas);
  }

  private async firstCanvas(view: View): Promise<ChartCanvas> {
    const canvas = drawnBy(this.backend, await view.toCanvas(PIXEL_RATIO));
    // canvas fills each glyph's outline as a path by default; its glyph mode draws from Cairo's
    // glyph cache in about a third less drawing time, text within the tolerance of
    // test/charts/backends.test.ts of the path-drawn one (mean channel difference ≤ 0.55).
    if (this.backend.name === 'canvas')
      (canvas.getContext('2d') as CanvasRenderingContext2D & { textDrawingMode: string }).textDrawingMode = 'glyph';
    return canvas;
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

/** The canvas vega drew into, checked to be the backend's: fonts are registered per backend. */
function drawnBy(backend: ChartBackend, canvas: unknown) {
  if (!canvas) throw new Error(`vega found no canvas to draw with (this thread expects ${backend.name})`);
  if (!backend.owns(canvas))
    throw new Error(
      `vega drew with another canvas than ${backend.name}: load the chart code through renderWorker.bootstrap.mjs`,
    );
  return canvas as Parameters<ChartBackend['encodePng']>[0];
}

/**
 * The backend's canvas as a PNG, encoded on this thread (png.ts). Both packages hand out straight
 * RGBA through getImageData; for canvas, that and png.ts took a little less time than its own PNG
 * writer, which converts Cairo's premultiplied BGRA inside libpng's row callbacks.
 */
function encodeCanvas(canvas: ChartCanvas): Buffer {
  const { width, height } = canvas;
  return encodePngSync(canvas.getContext('2d').getImageData(0, 0, width, height).data, width, height);
}

/** The naive pipeline (compile + parse + render + encode per chart), kept for the bench. */
export async function renderNaively(job: RenderJob, backendName?: ChartBackendName): Promise<Buffer> {
  const backend = chartBackend(backendName);
  const view = new View(compileKind(job.kind), { renderer: 'none' });
  view
    .data('table', job.rows as object[])
    .signal('chartTitle', job.title)
    .signal('chartSubtitle', job.subtitle ?? '');
  await view.runAsync();
  const png = await backend.encodePng(drawnBy(backend, await view.toCanvas(PIXEL_RATIO)));
  view.finalize();
  return png;
}
