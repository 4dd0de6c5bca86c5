export * from './builders.js';
export { renderEmptyChart } from './emptyImage.js';
export { chartBackend, detectChartBackend, type ChartBackendName } from './backend.js';
export { createChartRenderer, type ChartRenderer } from './renderer.js';
export type { RenderJob } from './renderCore.js';
export { CHART_KINDS, type ChartKind, type ClockCell, type MixPoint, type RankedRow } from './specs.js';
export { truncateLabel } from './text.js';
export { buildMemberChart } from './memberChart.js';
