/**
 * A process that ends while its chart workers draw: the child of rendererExit.test.ts. It keeps
 * renders under way on every worker (and, with `warm`, the renderer warming up) and calls
 * process.exit(0) the moment the `exitAfter`-th render arrives, so the other renders are still in
 * node-canvas when the process goes. `close` first starts renderer.close() without waiting for it,
 * as a shutdown that ran out of time does. Any exit but a clean 0 is the defect under test.
 */
import { createChartRenderer, isEmptyChart, topArtistsChart } from '../../../src/charts/index.js';

const [mode = 'exit', exitAfterArg = '1'] = process.argv.slice(2);
const exitAfter = Number(exitAfterArg);
const renderer = createChartRenderer({ workers: 2 });
const chart = topArtistsChart(
  Array.from({ length: 10 }, (_, i) => ({ name: `Artist ${i + 1}`, value: 100 - i, valueLabel: `${100 - i} plays` })),
  { title: 'Your top artists' },
);
if (isEmptyChart(chart)) throw new Error('expected a chart');

let arrived = 0;
const onArrival = () => {
  arrived += 1;
  if (arrived === exitAfter) {
    if (mode === 'close') void renderer.close();
    process.exit(0);
  }
};
const keepDrawing = async () => {
  for (;;) {
    try {
      await renderer.render(chart);
    } catch {
      return; // closed
    }
    onArrival();
  }
};
if (mode === 'warm') void renderer.warm();
for (let i = 0; i < 4; i++) void keepDrawing();
