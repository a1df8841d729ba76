/** Figures: pure functions from run data to an ECharts option, shared by the renderer and the headless CLI. */
export { metricLineOption, metricPairs, countDataPoints, formatNumber, type MetricLineOptions } from './metric-line';
export { PALETTE, FONT_FAMILY } from './theme';
