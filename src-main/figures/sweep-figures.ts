/**
 * Which figures a sweep has, the one derivation the Sweep panel draws and `der figure` / Export all write: the
 * trade-off of speedup against hull error where one numeric setting of an EntropyNet sweep varies, and for each
 * value the children report a heatmap (two settings vary), a curve (one numeric setting) or bars (named
 * variants, or more than two settings: one bar per child). Pure (no DOM, no Node).
 */
import type { EChartsOption } from 'echarts';
import {
  sweepBarsOption,
  sweepDimensions,
  sweepHeatmapOption,
  sweepLayout,
  sweepLineOption,
  sweepMetrics,
  sweepTradeoffOption,
  type Dimension,
  type SweepChild,
  type SweepInfo,
  type SweepLayout,
  type SweepMetric,
} from './sweep';

export interface SweepFigure {
  /** Stable name: `sweep-tradeoff`, `sweep-heatmap:<value>`, `sweep-line:<value>` or `sweep-bars:<value>`. */
  name: string;
  kind: 'tradeoff' | 'heatmap' | 'line' | 'bars';
  /** The value plotted (null for the trade-off, which plots several). */
  metric: SweepMetric | null;
  option(opts?: { title?: string }): EChartsOption;
}

export interface SweepFigureSet {
  dims: Dimension[];
  layout: SweepLayout;
  metrics: SweepMetric[];
  /** The trade-off plot, where the sweep has one. */
  tradeoff: SweepFigure | null;
  /** The heatmap, curve or bars of one value, as the grid calls for. */
  of(metric: SweepMetric): SweepFigure;
  /** The trade-off (if any), then one figure per value. */
  all(): SweepFigure[];
}

const TRADEOFF_YS = ['end_to_end_speedup', 'algorithm_speedup'];

export function sweepFigureSet(info: Pick<SweepInfo, 'kind' | 'grid' | 'variants'>, children: readonly SweepChild[]): SweepFigureSet {
  const dims = sweepDimensions(info);
  const layout = sweepLayout(dims);
  const metrics = sweepMetrics(info.kind, children);
  const tradeoff: SweepFigure | null =
    layout.kind === 'curve' && info.kind === 'entropynet-train' && metrics.some((m) => m.key === 'hull_error_pct') && metrics.some((m) => m.speedup)
      ? {
          name: 'sweep-tradeoff',
          kind: 'tradeoff',
          metric: null,
          option: (opts = {}) => sweepTradeoffOption(info.kind, children, layout.dim, { ys: metrics.filter((m) => TRADEOFF_YS.includes(m.key)), title: opts.title }),
        }
      : null;
  const of = (m: SweepMetric): SweepFigure => {
    if (layout.kind === 'heatmap') return { name: `sweep-heatmap:${m.key}`, kind: 'heatmap', metric: m, option: (opts = {}) => sweepHeatmapOption(info.kind, children, layout.x, layout.y, m, opts) };
    if (layout.kind === 'curve') return { name: `sweep-line:${m.key}`, kind: 'line', metric: m, option: (opts = {}) => sweepLineOption(info.kind, children, layout.dim, m, opts) };
    return { name: `sweep-bars:${m.key}`, kind: 'bars', metric: m, option: (opts = {}) => sweepBarsOption(info.kind, children, layout.kind === 'bars' ? layout.dim : null, m, { ...opts, dims }) };
  };
  return { dims, layout, metrics, tradeoff, of, all: () => [...(tradeoff ? [tradeoff] : []), ...metrics.map(of)] };
}
