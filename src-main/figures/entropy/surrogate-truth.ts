/**
 * Paper Fig. 4 / App. E.3: each surrogate against the structural-entropy bound per point set, with its
 * least-squares line (fitted in nats, drawn against bits: the same line, R² unchanged).
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { escapedTooltip } from '../escape-html';
import type { MetricSeries } from '../../api/contract';
import { formatNumber } from '../metric-line';
import { PALETTE, TEXT_COLOR, baseOption } from '../theme';
import { linearFit, type LinearFit } from '../../../src-worker/shared/stats';
import { type EntropySet, PAPER_R2, SURROGATE_LABEL, type SurrogateKey } from './summary';
import { LN2, gridTop, valueAxis } from './look';
import { joinByStep } from './margin-error';

/** Per-set values from the `val/*` metrics (while a run goes on, before `per_set` is in the summary). */
export function setsFromMetrics(series: readonly MetricSeries[], families: readonly string[]): EntropySet[] {
  const keys = ['val/family_index', 'val/n', 'val/k', 'val/h', 'val/hdiff_nats', 'val/hsoft_nats', 'val/hrect_nats', 'val/struct_tri_bits', 'val/struct_slab_bits', 'val/variant'];
  const out: EntropySet[] = [];
  for (const [step, v] of joinByStep(series, keys)) {
    const fi = v[0];
    out.push({
      index: step,
      family: fi !== null ? (families[fi] ?? `family ${fi}`) : '?',
      variant: v[9] !== null ? `variant ${v[9]}` : '',
      n: v[1],
      k: v[2],
      h: v[3],
      hdiffNats: v[4],
      hsoftNats: v[5],
      hrectNats: v[6],
      structTriBits: v[7],
      structSlabBits: v[8],
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

const surrogateValue = (s: EntropySet, key: SurrogateKey): number | null =>
  key === 'hdiff' ? s.hdiffNats : key === 'hsoft' ? s.hsoftNats : s.hrectNats;

/** The least-squares fit of a surrogate against the triangulation bound in nats, as the run computes it. */
export function surrogateFit(sets: readonly EntropySet[], key: SurrogateKey): LinearFit {
  const x: number[] = [];
  const y: number[] = [];
  for (const s of sets) {
    x.push(s.structTriBits === null ? NaN : s.structTriBits * LN2);
    y.push(surrogateValue(s, key) ?? NaN);
  }
  return linearFit(x, y);
}

export interface SurrogateTruthOptions {
  surrogate: SurrogateKey;
  /** The run's fit (x in nats); null draws no line. */
  fit: LinearFit | null;
  /** Where the fit comes from, said in the subtitle ("run summary", "computed in the view"). */
  fitSource: string;
  title?: string;
}

/** "R² measured here: 0.320 (the paper claims 0.96)" — the measured value, whatever it is. */
export function r2Sentence(r2: number | null, surrogate: SurrogateKey): string {
  const claim = surrogate === 'hdiff' ? `the paper claims ${PAPER_R2}` : `the paper's ${PAPER_R2} is for H_diff`;
  return `R² measured here: ${r2 === null ? 'not available' : r2.toFixed(3)} (${claim})`;
}

/**
 * Fig. 4 / App. E.3: one point per set, x = best-triangulation upper bound on the structural entropy (bits),
 * y = the surrogate (nats), coloured by point-set family, with the least-squares line and its R² in the title.
 */
export function surrogateTruthOption(sets: readonly EntropySet[], opts: SurrogateTruthOptions): EChartsOption {
  const key = opts.surrogate;
  const label = SURROGATE_LABEL[key];
  const families: string[] = [];
  const byFamily = new Map<string, Array<[number, number, number]>>();
  let minX = Infinity;
  let maxX = -Infinity;
  let missing = 0;
  for (const s of sets) {
    const y = surrogateValue(s, key);
    if (s.structTriBits === null || y === null) {
      missing++;
      continue;
    }
    let list = byFamily.get(s.family);
    if (!list) {
      byFamily.set(s.family, (list = []));
      families.push(s.family);
    }
    list.push([s.structTriBits, y, s.index]);
    minX = Math.min(minX, s.structTriBits);
    maxX = Math.max(maxX, s.structTriBits);
  }
  const byIndex = new Map(sets.map((s) => [s.index, s]));
  const series: Array<ScatterSeriesOption | LineSeriesOption> = families.map((f, i) => ({
    type: 'scatter',
    name: f,
    data: byFamily.get(f)!,
    symbolSize: 8,
    itemStyle: { color: PALETTE[i % PALETTE.length], opacity: 0.85 },
  }));
  const fit = opts.fit;
  const hasLine = fit !== null && fit.slope !== null && fit.intercept !== null && Number.isFinite(minX);
  if (hasLine) {
    const slopeBits = fit.slope! * LN2;
    const pad = maxX > minX ? 0.03 * (maxX - minX) : 0.05;
    // Entropies are ≥ 0: the line starts no left of 0 so the axis does not open a negative range.
    const x0 = minX >= 0 ? Math.max(0, minX - pad) : minX - pad;
    const x1 = maxX + pad;
    series.push({
      type: 'line',
      name: 'least squares',
      data: [
        [x0, slopeBits * x0 + fit.intercept!],
        [x1, slopeBits * x1 + fit.intercept!],
      ],
      showSymbol: false,
      lineStyle: { color: TEXT_COLOR, width: 1.5, type: 'dashed' },
      itemStyle: { color: TEXT_COLOR },
      emphasis: { disabled: true },
      z: 1,
    });
  }
  const r2 = fit?.r2 ?? null;
  const sub = [
    hasLine
      ? `${label} ≈ ${formatNumber(fit.slope!)}·H_struct[nats] + ${formatNumber(fit.intercept!)}  (= ${formatNumber(fit.slope! * LN2)} per bit) · ${fit.points} sets · fit: ${opts.fitSource}`
      : `no least-squares line (${fit ? 'fewer than two sets or constant x' : 'no fit yet'})`,
    `x: best hull-triangulation UPPER BOUND on the structural entropy H_R, bits`,
    ...(missing ? [`${missing} set${missing === 1 ? '' : 's'} without a bound (hull over structuralMaxHull) not shown`] : []),
  ];
  return {
    ...baseOption(opts.title ?? `${label} vs structural entropy (Fig. 4)\n${r2Sentence(r2, key)}`, sub.join('\n')),
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 20, top: gridTop(sub.length) + 18, bottom: 58 },
    tooltip: {
      trigger: 'item',
      formatter: escapedTooltip((p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const v = one.value as number[];
        if (one.seriesType === 'line') return `least squares<br/>${formatNumber(v[0])} bits → ${formatNumber(v[1])} nats`;
        const s = byIndex.get(v[2]);
        const head = s ? `set ${s.index} · ${s.family}${s.variant ? ` (${s.variant})` : ''}` : `set ${v[2]}`;
        const extra = s ? `<br/>n = ${s.n ?? '–'}, k = ${s.k ?? '–'}, hull h = ${s.h ?? '–'}` : '';
        return `${head}${extra}<br/>structural bound ${formatNumber(v[0])} bits<br/>${label} ${formatNumber(v[1])} nats`;
      }),
    },
    xAxis: valueAxis('structural-entropy bound (triangulation), bits'),
    yAxis: valueAxis(`${label}, nats`, { gap: 40, vertical: true }),
    series,
  };
}
