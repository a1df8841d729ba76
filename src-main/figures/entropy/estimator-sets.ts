/** Paper Table 15 per set: each estimator family's measures across the fitted sets. */
import type { EChartsOption } from 'echarts';
import type { MetricSeries } from '../../api/contract';
import { formatNumber } from '../metric-line';
import { MUTED_COLOR, PALETTE, baseOption } from '../theme';
import { ESTIMATOR_FAMILIES, FAMILY_LABEL } from './summary';
import { gridTop, valueAxis } from './look';

export const ESTIMATOR_MEASURES = {
  struct_drop_bits: 'structural-entropy drop, bits',
  hull_area_err_pct: 'hull-area change, %',
  err_hard_end_nats: '|H_hard − H_surrogate| at the end, nats',
  margin_end: 'γ̂ at the end',
  surrogate_end_nats: 'surrogate at the end, nats',
} as const;
export type EstimatorMeasure = keyof typeof ESTIMATOR_MEASURES;

/**
 * The per-set values behind Table 15 (`est/<family>/<measure>`, step = fit-set index): one bar per estimator
 * family for each set. `setLabel` names a set (its point-set family).
 */
export function estimatorSetsOption(
  series: readonly MetricSeries[],
  measure: EstimatorMeasure,
  opts: { setLabel?: (set: number) => string; title?: string } = {},
): EChartsOption {
  const families = ESTIMATOR_FAMILIES.filter((f) => series.some((s) => s.key === `est/${f}/${measure}`));
  const steps = new Set<number>();
  const values = new Map<string, Map<number, number | null>>();
  for (const f of families) {
    const m = new Map<number, number | null>();
    for (const p of series.find((s) => s.key === `est/${f}/${measure}`)!.points) {
      steps.add(p.step);
      m.set(p.step, p.value !== null && Number.isFinite(p.value) ? p.value : null);
    }
    values.set(f, m);
  }
  const order = [...steps].sort((a, b) => a - b);
  const label = opts.setLabel ?? ((s: number) => `set ${s}`);
  return {
    ...baseOption(opts.title ?? `Estimators per set (Table 15) · ${ESTIMATOR_MEASURES[measure]}`),
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 20, top: gridTop(0), bottom: 58 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : '–') },
    xAxis: {
      type: 'category',
      data: order.map(label),
      axisLabel: { color: MUTED_COLOR, fontSize: 10, interval: 0 },
      axisLine: { lineStyle: { color: MUTED_COLOR } },
    },
    yAxis: valueAxis(ESTIMATOR_MEASURES[measure], { gap: 44, vertical: true }),
    series: families.map((f, i) => ({
      type: 'bar',
      name: FAMILY_LABEL[f],
      data: order.map((s) => values.get(f)!.get(s) ?? null),
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      emphasis: { disabled: true },
    })),
  };
}
