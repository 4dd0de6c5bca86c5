import type { ChartImages } from '../app/services.js';
import type { SplitPreview } from '../app/sort/index.js';
import { isEmptyChart, sortPreviewChart } from '../charts/index.js';
import { splitPreviewChartTitles, splitPreviewMessage } from './messages/sortMessages.js';

/**
 * A split preview as its owner sees it, with its chart drawn (none when there is nothing to draw or
 * no renderer). `undrawable` decides what a failed drawing does: thrown by default (the command's
 * error boundary), or the preview goes without its chart (a background run nobody would hear from).
 */
export async function drawnSplitPreview(
  preview: SplitPreview,
  ownerId: string,
  charts: Pick<ChartImages, 'render'> | undefined,
  undrawable: (error: unknown) => Buffer | undefined = (error) => {
    throw error;
  },
) {
  const chart = sortPreviewChart(
    preview.analysis.playlists.map((p) => ({ genre: p.genreName, count: p.trackUris.length })),
    splitPreviewChartTitles(preview),
  );
  const png = !isEmptyChart(chart) && charts ? await charts.render(chart).catch(undrawable) : undefined;
  return splitPreviewMessage(preview, ownerId, png && { png, altText: chart.altText });
}
