/** Figures: pure functions from run data to an ECharts option, shared by the renderer and the headless CLI. */
export { metricLineOption, metricPairs, countDataPoints, formatNumber, type MetricLineOptions } from './metric-line';
export { breakEven, breakEvenInstances, breakEvenOption, type BreakEvenInput, type BreakEvenResult } from './break-even';
export {
  geometryCases,
  parsePointPreview,
  methodTimeOption,
  timeVsNOption,
  sampleBoxOption,
  pointPreviewOption,
  logLogSlope,
  boxStats,
  quantileSorted,
  distinct,
  type GeometryCase,
  type PointPreview,
  type BoxStats,
} from './geometry';
export { compareMetricOption, sideBySide, sharedKeys, runLabels, flattenObject, canonicalJson, type SideBySideRow } from './compare';
export { PALETTE, FONT_FAMILY } from './theme';
