// Module hook for chart workers that draw with @napi-rs/canvas: vega loads its canvas with
// `import('canvas')` (vega-canvas) and measures text with it; this answers that import with
// @napi-rs/canvas, so vega measures, lays out and draws with Skia exactly as it would with canvas.
const shim = new URL('./skiaCanvasModule.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'canvas') return { url: shim, shortCircuit: true };
  return nextResolve(specifier, context);
}
