/** Paper Fig. 2: empirical margin against the surrogate's error, per logged fit step, with the Theorem 1 bound. */
import type { CustomSeriesOption, EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { colorBarSeries, scaleColor } from '../color-bar';
import { escapedTooltip } from '../escape-html';
import type { MetricSeries } from '../../api/contract';
import { formatNumber } from '../metric-line';
import { MUTED_COLOR, TEXT_COLOR, baseOption } from '../theme';
import { type BoundConstants, surrogateOfFamily } from './summary';
import { gridTop, legendNames, pct, valueAxis } from './look';

/** One logged fit step of part (b), joined across the `fit/*` series by step. */
export interface MarginRow {
  step: number;
  /** γ̂ (or its 5th percentile with `robust`). */
  margin: number;
  errHard: number | null;
  errStruct: number | null;
  /** Theorem 1 bound at this margin, nats. */
  bound: number | null;
  set: number | null;
  iter: number | null;
}

/** Values of the given keys by step: row[j] is keys[j]'s value at that step (null where it has none). */
export function joinByStep(series: readonly MetricSeries[], keys: readonly string[]): Map<number, Array<number | null>> {
  const out = new Map<number, Array<number | null>>();
  keys.forEach((key, j) => {
    const s = series.find((x) => x.key === key);
    if (!s) return;
    for (const p of s.points) {
      let row = out.get(p.step);
      if (!row) out.set(p.step, (row = new Array<number | null>(keys.length).fill(null)));
      row[j] = p.value !== null && Number.isFinite(p.value) ? p.value : null;
    }
  });
  return out;
}

export const MARGIN_KEYS = [
  'fit/margin',
  'fit/margin_p5',
  'fit/err_hard_soft_nats',
  'fit/err_struct_soft_nats',
  'fit/bound',
  'fit/bound_p5',
  'fit/set',
  'fit/iter',
] as const;

/** The rows of the margin-vs-error figure, by step; steps without a finite margin are left out. */
export function marginErrorRows(series: readonly MetricSeries[], opts: { robust?: boolean } = {}): MarginRow[] {
  const rows: MarginRow[] = [];
  const joined = joinByStep(series, MARGIN_KEYS);
  for (const [step, v] of joined) {
    const margin = opts.robust ? v[1] : v[0];
    if (margin === null) continue;
    rows.push({ step, margin, errHard: v[2], errStruct: v[3], bound: opts.robust ? v[5] : v[4], set: v[6], iter: v[7] });
  }
  return rows.sort((a, b) => a.step - b.step);
}

export interface MarginErrorOptions {
  /** The fitted family ('ball' | 'halfspace' | 'rect'), for the axis names. */
  surrogate: string | null;
  /** Spearman correlations to state; `spearmanSource` says where they come from. */
  spearmanHard: number | null;
  spearmanStruct: number | null;
  spearmanSource: string;
  constants: BoundConstants | null;
  boundHoldsFraction?: number | null;
  boundInformativeFraction?: number | null;
  /** x is the 5th-percentile margin (and the bound is evaluated there). */
  robust?: boolean;
  showStruct?: boolean;
  logX?: boolean;
  logY?: boolean;
  colorBy?: 'step' | 'iter';
  /** Label of a fit set (its point-set family). */
  setLabel?: (set: number) => string;
  title?: string;
}

/** The colour ramp of steps (early → late): dark blue through light blue and orange to dark red, readable on white. */
const STEP_RAMP = ['#313695', '#4575b4', '#74add1', '#fdae61', '#f46d43', '#a50026'];

/**
 * Fig. 2: x = γ̂, y = |H_hard − H_surrogate| (circles) and |H_struct − H_surrogate| (triangles), coloured by
 * step; the Theorem 1 bound at each logged γ̂ as a dashed line per fitted set, in step order (the bound also
 * depends on the effective temperature, which moves with training, so it is a trajectory, not one curve).
 */
export function marginErrorOption(rows: readonly MarginRow[], opts: MarginErrorOptions): EChartsOption {
  const logX = opts.logX ?? false;
  const logY = opts.logY ?? false;
  const showStruct = opts.showStruct ?? true;
  const colorBy = opts.colorBy ?? 'step';
  const sym = surrogateOfFamily(opts.surrogate);
  const gamma = opts.robust ? 'γ̂₅ (5th-percentile margin)' : 'γ̂ (empirical margin)';
  const okX = (x: number): boolean => Number.isFinite(x) && (!logX || x > 0);
  const okY = (y: number | null): y is number => y !== null && Number.isFinite(y) && (!logY || y > 0);
  const setLabel = opts.setLabel ?? ((s: number) => `set ${s}`);

  type Datum = [number, number, number, number, number];
  const hard: Datum[] = [];
  const struct: Datum[] = [];
  const boundBySet = new Map<number, Array<[number, number, number]>>();
  let hidden = 0;
  for (const r of rows) {
    if (!okX(r.margin)) {
      hidden++;
      continue;
    }
    const meta: [number, number, number] = [r.step, r.iter ?? r.step, r.set ?? -1];
    if (okY(r.errHard)) hard.push([r.margin, r.errHard, ...meta]);
    if (showStruct && okY(r.errStruct)) struct.push([r.margin, r.errStruct, ...meta]);
    if (okY(r.bound)) {
      const key = r.set ?? -1;
      let list = boundBySet.get(key);
      if (!list) boundBySet.set(key, (list = []));
      list.push([r.margin, r.bound, r.step]);
    }
  }

  const colorDim = colorBy === 'step' ? 2 : 3;
  let cMin = Infinity;
  let cMax = -Infinity;
  for (const d of [...hard, ...struct]) {
    cMin = Math.min(cMin, d[colorDim]);
    cMax = Math.max(cMax, d[colorDim]);
  }
  if (!Number.isFinite(cMin)) [cMin, cMax] = [0, 1];
  if (cMax === cMin) cMax = cMin + 1;
  const scale = { min: cMin, max: cMax, stops: STEP_RAMP };
  const colorOf = (p: { value?: unknown }): string => scaleColor(scale, (p.value as number[])[colorDim]);

  const series: Array<ScatterSeriesOption | LineSeriesOption | CustomSeriesOption> = [
    {
      type: 'scatter',
      name: `|H_hard − ${sym}|`,
      data: hard,
      symbol: 'circle',
      symbolSize: 6,
      // Each point takes its step's (or iteration's) colour; the legend shows the shape, in grey.
      itemStyle: { color: colorOf, opacity: 0.85 },
      z: 3,
    },
  ];
  if (showStruct) {
    series.push({
      type: 'scatter',
      name: `|H_struct − ${sym}|`,
      data: struct,
      symbol: 'triangle',
      symbolSize: 7,
      itemStyle: { color: colorOf, opacity: 0.6 },
      z: 2,
    });
  }
  const scatterCount = series.length;
  const boundName = opts.robust ? 'bound at γ̂₅ (Thm 1)' : 'bound (Thm 1)';
  for (const [, pts] of [...boundBySet].sort((a, b) => a[0] - b[0])) {
    series.push({
      type: 'line',
      name: boundName,
      data: pts.sort((a, b) => a[2] - b[2]),
      showSymbol: false,
      lineStyle: { color: TEXT_COLOR, width: 1.25, type: 'dashed' },
      itemStyle: { color: TEXT_COLOR },
      emphasis: { disabled: true },
      z: 1,
    });
  }

  const c = opts.constants;
  const rho = (v: number | null): string => (v === null ? '–' : v.toFixed(3).replace('-', '−'));
  const g = opts.robust ? 'γ̂₅' : 'γ̂';
  const line1 =
    `Spearman ρ(${g}, |H_hard − ${sym}|) = ${rho(opts.spearmanHard)}` + (showStruct ? ` · ρ(${g}, |H_struct − ${sym}|) = ${rho(opts.spearmanStruct)}` : '');
  const line2 = `Bound: c = ${c?.c ?? '?'}, δ = ${c?.delta ?? '?'}` + (c?.note ? ` (${c.note})` : ' (Theorem 1)');
  const holds =
    (opts.boundHoldsFraction != null ? `bound holds at ${pct(opts.boundHoldsFraction)} of steps` : '') +
    (opts.boundInformativeFraction != null ? `${opts.boundHoldsFraction != null ? ', ' : ''}informative at ${pct(opts.boundInformativeFraction)}` : '');
  const hiddenNote = hidden > 0 ? `${hidden} step${hidden === 1 ? '' : 's'} with ${g} ≤ 0 not on the log axis` : '';
  const line3 = [`ρ: ${opts.spearmanSource}`, holds, hiddenNote].filter(Boolean).join(' · ');
  const sub = [line1, line2, line3];

  const legend = legendNames(series).map((name, i) => (i < scatterCount ? { name, itemStyle: { color: MUTED_COLOR } } : name));
  series.push(
    colorBarSeries({
      ...scale,
      text: [colorBy === 'step' ? `step ${cMax}` : `iter ${cMax}`, String(cMin)],
      textStyle: { color: MUTED_COLOR, fontSize: 10 },
      itemWidth: 10,
      itemHeight: 120,
      right: 6,
    }),
  );

  return {
    ...baseOption(opts.title ?? `Margin vs error (Fig. 2) · fitting ${sym}`, sub.join('\n')),
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 }, data: legend },
    grid: { left: 62, right: 78, top: gridTop(sub.length), bottom: 58 },
    tooltip: {
      trigger: 'item',
      formatter: escapedTooltip((p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const v = one.value as number[];
        if (one.seriesType === 'line') return `${one.seriesName}<br/>γ̂ = ${formatNumber(v[0])} → ${formatNumber(v[1])} nats<br/>step ${v[2]}`;
        const where = v[4] >= 0 ? `${setLabel(v[4])}, iter ${v[3]}` : `iter ${v[3]}`;
        return `${one.seriesName} = ${formatNumber(v[1])} nats<br/>${opts.robust ? 'γ̂₅' : 'γ̂'} = ${formatNumber(v[0])}<br/>step ${v[2]} · ${where}`;
      }),
    },
    xAxis: valueAxis(gamma, { log: logX }),
    yAxis: valueAxis('error, nats', { log: logY, gap: 44, vertical: true }),
    series,
  };
}
