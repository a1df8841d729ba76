/**
 * Figures of an `entropy-validation` run (issue 4 item 6): margin vs error (paper Fig. 2), surrogate vs the
 * structural-entropy bound (Fig. 4 / App. E.3), the fitted anchors / planes / rectangle cuts over the point set,
 * and the estimator comparison (Table 15). Pure (no DOM, no Node): the renderer mounts these options in
 * EChart.svelte, the tests render them with ECharts SSR.
 *
 * The summary and the `fit-states.json` artifact are JSON from the store; the parsers read them defensively,
 * so a run of an older or partial shape shows what it has instead of throwing.
 *
 * Units: surrogates and hard entropies are in nats, structural-entropy bounds in bits (as the run logs them).
 * The run fits its least-squares lines against the triangulation bound in *nats*; the scatter plots bits, so
 * the line is redrawn as y = (slope·ln 2)·x_bits + intercept, the same line (R² does not change with the unit).
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption, VisualMapComponentOption } from 'echarts';
import { escapedTooltip } from './escape-html';
import type { JsonObject, MetricSeries } from '../api/contract';
import { formatNumber } from './metric-line';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR, baseOption } from './theme';
import { linearFit, type LinearFit } from '../../src-worker/shared/stats';
import {
  anchorMemberships,
  cellMasses,
  entropyNats,
  halfspaceMemberships,
  rectCuts64,
  rectMemberships,
  type Memberships,
} from '../../src-worker/shared/surrogates-direct';

const LN2 = Math.log(2);

/** The paper's R² of H_diff against ground-truth H_R (Sec. 1, Sec. 3, App. E.3 / Fig. 4). */
export const PAPER_R2 = 0.96;

export type SurrogateKey = 'hdiff' | 'hsoft' | 'hrect';
export const SURROGATE_KEYS: readonly SurrogateKey[] = ['hdiff', 'hsoft', 'hrect'];
export const SURROGATE_LABEL: Record<SurrogateKey, string> = { hdiff: 'H_diff', hsoft: 'H_soft', hrect: 'H_rect' };

/** Estimator families of the fitter, and the surrogate each one minimises. */
export type EstimatorFamily = 'ball' | 'halfspace' | 'rect';
export const ESTIMATOR_FAMILIES: readonly EstimatorFamily[] = ['ball', 'halfspace', 'rect'];
const FAMILY_SURROGATE: Record<EstimatorFamily, string> = { ball: 'H_diff', halfspace: 'H_soft', rect: 'H_rect' };
const FAMILY_LABEL: Record<EstimatorFamily, string> = {
  ball: 'Ball-based (H_diff)',
  halfspace: 'Halfspace-aware (H_soft)',
  rect: 'Axis-aligned rectangles (H_rect)',
};

/** The surrogate symbol of a fitted family ('halfspace' → 'H_soft'); the name itself when unknown. */
export function surrogateOfFamily(family: string | null | undefined): string {
  return family && family in FAMILY_SURROGATE ? FAMILY_SURROGATE[family as EstimatorFamily] : 'H_surrogate';
}

/** Table 15 of the paper, for reference beside our proxies: speedup and hull error % (mean ± sd). */
export const TABLE_15: Record<EstimatorFamily, { speedup: number; hullErrorPct: number; hullErrorPm: number; use: string }> = {
  ball: { speedup: 4.14, hullErrorPct: 0.11, hullErrorPm: 0.04, use: 'Universal geometric tasks' },
  halfspace: { speedup: 4.82, hullErrorPct: 0.09, hullErrorPm: 0.03, use: 'Convex hull, Voronoi' },
  rect: { speedup: 3.87, hullErrorPct: 0.13, hullErrorPm: 0.05, use: 'Range queries, kd-trees' },
};

// ────────────────────────────────────────────────────────────────────────────────────────── summary

export type { LinearFit };

/** One row of `summary.per_set` (or the same values read from the `val/*` metrics while the run goes on). */
export interface EntropySet {
  index: number;
  family: string;
  variant: string;
  n: number | null;
  k: number | null;
  h: number | null;
  hdiffNats: number | null;
  hsoftNats: number | null;
  hrectNats: number | null;
  /** Best-triangulation upper bound on the structural entropy, bits (null when the hull was too large). */
  structTriBits: number | null;
  structSlabBits: number | null;
}

export interface FitSummary {
  surrogate: string | null;
  loggedSteps: number | null;
  spearmanHard: number | null;
  spearmanStruct: number | null;
  boundHoldsFraction: number | null;
  boundInformativeFraction: number | null;
}

export interface BoundConstants {
  c: number | null;
  delta: number | null;
  note: string;
}

export interface EstimatorRow {
  family: string;
  label: string;
  meanStructDropBits: number | null;
  meanHullAreaErrPct: number | null;
  meanErrHardEndNats: number | null;
  meanMarginEnd: number | null;
  r2StartVsStruct: number | null;
  paper: (typeof TABLE_15)[EstimatorFamily] | null;
}

export interface EntropySummary {
  /** Least-squares fits of each surrogate / hard entropy (y, nats) against the triangulation bound (x, nats). */
  fits: Record<string, LinearFit>;
  sets: EntropySet[];
  /** Part (b); null when the run did not fit (or has not finished). */
  fit: FitSummary | null;
  boundConstants: BoundConstants | null;
  /** Part (c); empty when the run did not compare estimators. */
  estimators: EstimatorRow[];
  estimatorNote: string | null;
  backend: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

function parseFit(v: unknown): LinearFit | null {
  const f = obj(v);
  if (!f) return null;
  return { slope: num(f.slope), intercept: num(f.intercept), r2: num(f.r2), points: num(f.points) ?? 0 };
}

/** The parts of an entropy-validation summary the figures use; empty parts where the summary has none. */
export function entropySummary(summary: JsonObject | null | undefined): EntropySummary {
  const s = summary ?? {};
  const fits: Record<string, LinearFit> = {};
  for (const [name, v] of Object.entries(obj(s.surrogate_vs_structural) ?? {})) {
    const f = parseFit(v);
    if (f) fits[name] = f;
  }
  const sets: EntropySet[] = [];
  if (Array.isArray(s.per_set)) {
    for (const item of s.per_set) {
      const r = obj(item);
      const index = r ? num(r.index) : null;
      if (!r || index === null) continue;
      sets.push({
        index,
        family: str(r.family, '?'),
        variant: str(r.variant),
        n: num(r.n),
        k: num(r.k),
        h: num(r.h),
        hdiffNats: num(r.hdiff_nats),
        hsoftNats: num(r.hsoft_nats),
        hrectNats: num(r.hrect_nats),
        structTriBits: num(r.struct_tri_bits),
        structSlabBits: num(r.struct_slab_bits),
      });
    }
  }
  const f = obj(s.fit);
  const fit: FitSummary | null =
    f && f.enabled !== false && (f.logged_steps !== undefined || f.surrogate !== undefined)
      ? {
          surrogate: typeof f.surrogate === 'string' ? f.surrogate : null,
          loggedSteps: num(f.logged_steps),
          spearmanHard: num(f.spearman_margin_vs_err_hard),
          spearmanStruct: num(f.spearman_margin_vs_err_struct),
          boundHoldsFraction: num(f.bound_holds_fraction),
          boundInformativeFraction: num(f.bound_informative_fraction),
        }
      : null;
  const bc = obj(s.bound_constants);
  const est = obj(s.estimators);
  const estimators: EstimatorRow[] = [];
  for (const [family, v] of Object.entries(obj(est?.families) ?? {})) {
    const r = obj(v);
    if (!r) continue;
    const known = family in TABLE_15 ? (family as EstimatorFamily) : null;
    estimators.push({
      family,
      label: known ? FAMILY_LABEL[known] : family,
      meanStructDropBits: num(r.mean_struct_drop_bits),
      meanHullAreaErrPct: num(r.mean_hull_area_err_pct),
      meanErrHardEndNats: num(r.mean_err_hard_end_nats),
      meanMarginEnd: num(r.mean_margin_end),
      r2StartVsStruct: num(r.r2_start_vs_struct),
      paper: known ? TABLE_15[known] : null,
    });
  }
  return {
    fits,
    sets,
    fit,
    boundConstants: bc ? { c: num(bc.c), delta: num(bc.delta), note: str(bc.note) } : null,
    estimators,
    estimatorNote: est && typeof est.note === 'string' ? est.note : null,
    backend: typeof s.backend === 'string' ? s.backend : null,
  };
}

// ─────────────────────────────────────────────────────────────────────────────────── shared look


/** Top of the plot area below a title and `lines` subtitle lines. */
const gridTop = (lines: number): number => 30 + 14 * lines + 16;

function valueAxis(name: string, opts: { log?: boolean; gap?: number; vertical?: boolean } = {}) {
  return {
    type: opts.log ? ('log' as const) : ('value' as const),
    name,
    nameLocation: 'middle' as const,
    nameGap: opts.gap ?? 26,
    ...(opts.vertical ? { nameRotate: 90 } : {}),
    scale: !opts.log,
    nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
    axisLine: { lineStyle: { color: MUTED_COLOR } },
    axisLabel: { color: MUTED_COLOR, fontSize: 10, hideOverlap: true, formatter: (v: number) => formatNumber(v) },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  };
}

/** One legend entry per distinct series name (several bound or plane lines share one). */
const legendNames = (series: ReadonlyArray<{ name?: string | number }>): string[] => [...new Set(series.map((s) => String(s.name ?? '')))];

const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const pct = (v: number | null): string => (v === null ? '–' : `${Math.round(v * 100)}%`);

// ─────────────────────────────────────────────────────────────────────────── Fig. 2 margin vs error

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

  const series: Array<ScatterSeriesOption | LineSeriesOption> = [
    {
      type: 'scatter',
      name: `|H_hard − ${sym}|`,
      data: hard,
      symbol: 'circle',
      symbolSize: 6,
      // The visual map colours every point; this grey is what the legend shows (the shape is the key).
      itemStyle: { color: MUTED_COLOR, opacity: 0.85 },
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
      itemStyle: { color: MUTED_COLOR, opacity: 0.6 },
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

  const visualMap: VisualMapComponentOption = {
    type: 'continuous',
    dimension: colorDim,
    seriesIndex: Array.from({ length: scatterCount }, (_, i) => i),
    min: cMin,
    max: cMax,
    inRange: { color: STEP_RAMP },
    text: [colorBy === 'step' ? `step ${cMax}` : `iter ${cMax}`, String(cMin)],
    textStyle: { color: MUTED_COLOR, fontSize: 10 },
    itemWidth: 10,
    itemHeight: 120,
    right: 6,
    top: 'middle',
    calculable: false,
  };

  return {
    ...baseOption(opts.title ?? `Margin vs error (Fig. 2) · fitting ${sym}`, sub.join('\n')),
    legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 }, data: legendNames(series) },
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
    visualMap,
    xAxis: valueAxis(gamma, { log: logX }),
    yAxis: valueAxis('error, nats', { log: logY, gap: 44, vertical: true }),
    series,
  };
}

// ─────────────────────────────────────────────────────────────── Fig. 4 surrogate vs structural truth

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

// ───────────────────────────────────────────────────────────── fitted anchors / planes over the points

export interface RectParams {
  d: number;
  r: number;
  start: Float64Array;
  gaps: Float64Array;
}

/** One snapshot of `fit-states.json`: the moved points S′ and the parameters of the fitted surrogate. */
export interface FitSnapshot {
  /** Flat [x0, y0, x1, y1, …]. */
  points: Float64Array;
  surrogateNats: number | null;
  /** Flat [x, y, …], k anchors. */
  anchors: Float64Array | null;
  /** Flat rows [w1, w2, b, …]; plane t is {x : w_tᵀx = b_t}. */
  planes: Float64Array | null;
  rect: RectParams | null;
}

export interface FitState {
  set: number;
  family: string;
  surrogate: EstimatorFamily;
  before: FitSnapshot;
  after: FitSnapshot;
}

function flat(v: unknown, stride: number): Float64Array | null {
  if (!Array.isArray(v)) return null;
  const out = new Float64Array(v.length - (v.length % stride));
  for (let i = 0; i < out.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}

function parseSnapshot(v: unknown): FitSnapshot | null {
  const s = obj(v);
  if (!s) return null;
  const points = flat(s.points, 2);
  if (!points) return null;
  const r = obj(s.rect);
  let rect: RectParams | null = null;
  if (r) {
    const d = num(r.d);
    const rr = num(r.r);
    const start = flat(r.start, 1);
    const gaps = flat(r.gaps, 1);
    if (d === 2 && rr !== null && rr >= 1 && start && gaps && start.length === d && gaps.length === d * (rr - 1)) rect = { d, r: rr, start, gaps };
  }
  return { points, surrogateNats: num(s.surrogateNats), anchors: flat(s.anchors, 2), planes: flat(s.planes, 3), rect };
}

/** The `fit-states.json` artifact: one entry per fitted set; entries it cannot read are skipped. */
export function parseFitStates(json: unknown): FitState[] {
  if (!Array.isArray(json)) return [];
  const out: FitState[] = [];
  for (const item of json) {
    const e = obj(item);
    if (!e) continue;
    const surrogate = e.surrogate;
    if (surrogate !== 'ball' && surrogate !== 'halfspace' && surrogate !== 'rect') continue;
    const before = parseSnapshot(e.before);
    const after = parseSnapshot(e.after);
    if (!before || !after) continue;
    out.push({ set: num(e.set) ?? out.length, family: str(e.family, '?'), surrogate, before, after });
  }
  return out;
}

/** α of the cosine schedule (App. G.11, `alphaCosine`) after the last of `steps` fit steps: the α of the "after" snapshot. */
export function alphaAfterFit(steps: number, from: number, to: number, fraction = 0.5): number {
  const last = Math.max(0, steps - 1);
  const span = Math.max(1, fraction * steps);
  const s = Math.min(1, last / span);
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * s));
}

/** Sorted cuts [d·r] of the rectangle family: θ_{a,0} = start[a], θ_{a,l} = θ_{a,l−1} + softplus(gap). */
export function rectCuts(rect: RectParams): Float64Array {
  return rectCuts64(rect);
}

export type { Memberships };

/** Number of cells of a snapshot's partition (k anchors, 2^m sign patterns, (r+1)² grid cells); 0 without parameters. */
export function cellCount(snap: FitSnapshot, surrogate: EstimatorFamily): number {
  if (surrogate === 'ball') return snap.anchors ? snap.anchors.length / 2 : 0;
  if (surrogate === 'halfspace') return snap.planes ? 1 << (snap.planes.length / 3) : 0;
  return snap.rect ? (snap.rect.r + 1) ** 2 : 0;
}

/**
 * The soft assignment of every point, from the snapshot's own parameters:
 *   ball       p_ij = softmax_j(−α‖x_i − c_j‖²)                          (Eq. 2)
 *   halfspace  g_j(x) = Π_t h_t^{s_jt} (1 − h_t)^{1−s_jt}, h_t = σ((w_tᵀx − b_t)/τ), s_jt = bit t of j   (Eqs. 4–5)
 *   rect       g_c(x) = Π_a μ_{a,l_a}(x_a), μ_{a,l} = σ((x − θ_{a,l−1})/τ) − σ((x − θ_{a,l})/τ)   (App. H.4)
 * Null when the snapshot has no parameters of that family (or more than 12 planes: 4096 cells per point).
 */
export function memberships(snap: FitSnapshot, surrogate: EstimatorFamily, params: { alpha: number; tau: number }): Memberships | null {
  if (surrogate === 'ball') return snap.anchors && snap.anchors.length > 0 ? anchorMemberships(snap.points, snap.anchors, params.alpha) : null;
  if (surrogate === 'halfspace') {
    const w = snap.planes;
    if (!w || w.length === 0 || w.length / 3 > 12) return null;
    return halfspaceMemberships(snap.points, w, params.tau);
  }
  return snap.rect ? rectMemberships(snap.points, rectCuts64(snap.rect), snap.rect.r, params.tau) : null;
}

/** H = −Σ_j q_j log q_j of the cell masses q_j = mean_i p_ij, nats: the surrogate value of the memberships. */
export function membershipEntropyNats(m: Memberships): number {
  return entropyNats(cellMasses(m));
}

/** The hard partition of the same parameters: nearest anchor, sign pattern (bit t iff w_tᵀx − b_t ≥ 0), grid cell. */
export function hardCells(snap: FitSnapshot, surrogate: EstimatorFamily): Uint32Array | null {
  const pts = snap.points;
  const n = pts.length / 2;
  const out = new Uint32Array(n);
  if (surrogate === 'ball') {
    const c = snap.anchors;
    if (!c || c.length === 0) return null;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < c.length / 2; j++) {
        const d = (pts[2 * i] - c[2 * j]) ** 2 + (pts[2 * i + 1] - c[2 * j + 1]) ** 2;
        if (d < bestD) ((bestD = d), (best = j));
      }
      out[i] = best;
    }
    return out;
  }
  if (surrogate === 'halfspace') {
    const w = snap.planes;
    if (!w || w.length === 0) return null;
    for (let i = 0; i < n; i++) {
      let cell = 0;
      for (let t = 0; t < w.length / 3; t++) if (w[3 * t] * pts[2 * i] + w[3 * t + 1] * pts[2 * i + 1] - w[3 * t + 2] >= 0) cell |= 1 << t;
      out[i] = cell >>> 0;
    }
    return out;
  }
  const rect = snap.rect;
  if (!rect) return null;
  const cuts = rectCuts(rect);
  const r = rect.r;
  for (let i = 0; i < n; i++) {
    let cell = 0;
    let scale = 1;
    for (let a = 0; a < 2; a++) {
      let l = 0;
      while (l < r && pts[2 * i + a] >= cuts[a * r + l]) l++;
      cell += l * scale;
      scale *= r + 1;
    }
    out[i] = cell;
  }
  return out;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Anchors farther than this many point-extents from the points' centre stay out of the box (and are counted). */
const ANCHOR_REACH = 3;

/**
 * The square box (equal scales) around the points of the given snapshots and their anchors, with a small margin.
 * An anchor that ran away (more than ANCHOR_REACH times the points' extent from their centre) does not stretch
 * the box: the figure counts it as outside instead of shrinking the point set to a dot.
 */
export function squareBox(snaps: readonly FitSnapshot[], marginFraction = 0.04): Box {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number): void => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const s of snaps) for (let i = 0; i + 1 < s.points.length; i += 2) extend(s.points[i], s.points[i + 1]);
  if (!Number.isFinite(minX)) return { x0: 0, y0: 0, x1: 1, y1: 1 };
  const reach = ANCHOR_REACH * Math.max(maxX - minX, maxY - minY, 1e-12);
  const [px, py] = [(minX + maxX) / 2, (minY + maxY) / 2];
  for (const s of snaps) {
    const a = s.anchors;
    if (!a) continue;
    for (let j = 0; j + 1 < a.length; j += 2) if (Math.abs(a[j] - px) <= reach && Math.abs(a[j + 1] - py) <= reach) extend(a[j], a[j + 1]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-12) * (1 + 2 * marginFraction);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return { x0: cx - span / 2, y0: cy - span / 2, x1: cx + span / 2, y1: cy + span / 2 };
}

const inBox = (x: number, y: number, box: Box): boolean => x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;

/**
 * The segment of the line {x : w1·x + w2·y = b} inside the box, or null when it misses it (Liang–Barsky on a
 * segment through the foot of the perpendicular, long enough to cross the whole box):
 *
 *      ┌──────────────┐
 *      │      ╱       │   p(t) = p0 + t·dir, dir = (−w2, w1), p0 = b·w/‖w‖²
 *      │    ╱         │   clipped to t ∈ [t_in, t_out] by the four edges
 *      └──╱───────────┘
 */
export function clipLineToBox(w1: number, w2: number, b: number, box: Box): [number, number, number, number] | null {
  const nn = w1 * w1 + w2 * w2;
  if (!(nn > 0) || !Number.isFinite(b)) return null;
  const px = (b * w1) / nn;
  const py = (b * w2) / nn;
  const len = Math.sqrt(nn);
  const dx = -w2 / len;
  const dy = w1 / len;
  let t0 = -Infinity;
  let t1 = Infinity;
  const edges: Array<[number, number]> = [
    [-dx, px - box.x0],
    [dx, box.x1 - px],
    [-dy, py - box.y0],
    [dy, box.y1 - py],
  ];
  for (const [pp, q] of edges) {
    if (pp === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / pp;
    if (pp < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
  }
  if (!(t0 < t1) || !Number.isFinite(t0) || !Number.isFinite(t1)) return null;
  return [px + t0 * dx, py + t0 * dy, px + t1 * dx, py + t1 * dy];
}

/** Golden-angle hues after the theme palette: cell j keeps its colour in every snapshot. */
export function cellColor(j: number): string {
  if (j < PALETTE.length) return PALETTE[j];
  const h = ((j - PALETTE.length) * 137.508 + 20) % 360;
  return hslToHex(h, 0.62, 0.48);
}

function hslToHex(h: number, s: number, l: number): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return rgbHex((r + m) * 255, (g + m) * 255, (b + m) * 255);
}

function rgbHex(r: number, g: number, b: number): string {
  const h = (v: number): string => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

function hexRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Colour of a point: the membership-weighted mean of its cells' colours (a point between cells looks mixed). */
export function blendedColors(m: Memberships): string[] {
  const rgb = Array.from({ length: m.cells }, (_, j) => hexRgb(cellColor(j)));
  const out = new Array<string>(m.n);
  for (let i = 0; i < m.n; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = 0; j < m.cells; j++) {
      const w = m.p[i * m.cells + j];
      if (w < 1e-6) continue;
      r += w * rgb[j][0];
      g += w * rgb[j][1];
      b += w * rgb[j][2];
    }
    out[i] = rgbHex(r, g, b);
  }
  return out;
}

export interface FitStateOptions {
  /** α of Eq. 2 for this snapshot (ball); τ of Eqs. 4 and H.4 (halfspace, rect). */
  alpha: number;
  tau: number;
  /** 'soft': blend of cell colours by soft membership; 'hard': nearest anchor / sign pattern / grid cell. */
  colorMode?: 'soft' | 'hard';
  /** Side of the square plot, px. */
  plotSize?: number;
  /** Axes box (equal scales); defaults to the snapshot's own square box. */
  box?: Box;
  title?: string;
}

/** What the overlay computed: the surrogate recomputed from the drawn parameters, to check against the run's. */
export interface FitStateFigure {
  option: EChartsOption;
  recomputedNats: number | null;
  colorMode: 'soft' | 'hard';
}

/**
 * The point set S′ of one snapshot with the fitted surrogate's parameters: anchors as large diamonds, planes as
 * lines clipped to the plot box, rectangle cuts as vertical/horizontal lines; points coloured by their soft
 * assignment under the same parameters (or by hard cell on request).
 */
export function fitStateFigure(state: FitState, which: 'before' | 'after', opts: FitStateOptions): FitStateFigure {
  const snap = state[which];
  const size = opts.plotSize ?? 320;
  const box = opts.box ?? squareBox([snap]);
  const soft = memberships(snap, state.surrogate, { alpha: opts.alpha, tau: opts.tau });
  const hard = hardCells(snap, state.surrogate);
  const colorMode: 'soft' | 'hard' = opts.colorMode === 'hard' || !soft ? 'hard' : 'soft';
  const colors = colorMode === 'soft' && soft ? blendedColors(soft) : null;
  const n = snap.points.length / 2;

  const pointData = new Array<{ value: [number, number, number, number]; itemStyle: { color: string } }>(n);
  for (let i = 0; i < n; i++) {
    let cell = hard ? hard[i] : 0;
    let pmax = 1;
    if (soft) {
      pmax = 0;
      for (let j = 0; j < soft.cells; j++) {
        const w = soft.p[i * soft.cells + j];
        if (w > pmax) ((pmax = w), (cell = j));
      }
    }
    pointData[i] = {
      value: [snap.points[2 * i], snap.points[2 * i + 1], cell, pmax],
      itemStyle: { color: colors ? colors[i] : hard ? cellColor(hard[i]) : '#94a3b8' },
    };
  }

  const series: Array<ScatterSeriesOption | LineSeriesOption> = [
    {
      type: 'scatter',
      name: 'points',
      data: pointData,
      symbolSize: n > 5000 ? 2.5 : n > 1500 ? 3.5 : 5,
      itemStyle: { opacity: 0.85 },
      emphasis: { disabled: true },
      z: 2,
    },
  ];
  const segments: Array<[number, number, number, number]> = [];
  let paramName = '';
  /** Anchors, planes or cuts that the plot box does not show. */
  let outside = 0;
  const addLine = (w1: number, w2: number, b: number): void => {
    const seg = clipLineToBox(w1, w2, b, box);
    if (seg) segments.push(seg);
    else outside++;
  };
  if (state.surrogate === 'ball' && snap.anchors) {
    paramName = 'anchors';
    const a = snap.anchors;
    const shown: Array<{ value: number[]; itemStyle: { color: string; borderColor: string; borderWidth: number } }> = [];
    for (let j = 0; j < a.length / 2; j++) {
      if (!inBox(a[2 * j], a[2 * j + 1], box)) {
        outside++;
        continue;
      }
      shown.push({ value: [a[2 * j], a[2 * j + 1], j, -1], itemStyle: { color: cellColor(j), borderColor: TEXT_COLOR, borderWidth: 1.5 } });
    }
    series.push({ type: 'scatter', name: 'anchors', data: shown, symbol: 'diamond', symbolSize: 16, z: 4 });
  } else if (state.surrogate === 'halfspace' && snap.planes) {
    paramName = 'planes';
    for (let t = 0; t < snap.planes.length / 3; t++) addLine(snap.planes[3 * t], snap.planes[3 * t + 1], snap.planes[3 * t + 2]);
  } else if (state.surrogate === 'rect' && snap.rect) {
    paramName = 'cuts';
    const cuts = rectCuts(snap.rect);
    const r = snap.rect.r;
    for (let l = 0; l < r; l++) addLine(1, 0, cuts[l]);
    for (let l = 0; l < r; l++) addLine(0, 1, cuts[r + l]);
  }
  for (const [x0, y0, x1, y1] of segments) {
    series.push({
      type: 'line',
      name: paramName,
      data: [
        [x0, y0],
        [x1, y1],
      ],
      showSymbol: false,
      lineStyle: { color: TEXT_COLOR, width: 1.5 },
      itemStyle: { color: TEXT_COLOR },
      emphasis: { disabled: true },
      z: 3,
    });
  }

  const sym = surrogateOfFamily(state.surrogate);
  const recomputed = soft ? membershipEntropyNats(soft) : null;
  const param = state.surrogate === 'ball' ? `α = ${formatNumber(opts.alpha)}` : `τ = ${formatNumber(opts.tau)}`;
  const colorLine =
    colorMode === 'soft'
      ? 'colour: soft assignment (cell colours blended by membership)'
      : `colour: hard cell (${state.surrogate === 'ball' ? 'nearest anchor' : state.surrogate === 'halfspace' ? 'sign pattern' : 'grid cell'})${opts.colorMode !== 'hard' ? ' — soft assignment not computable' : ''}`;
  const sub = [
    `${sym} = ${fmt(snap.surrogateNats, 4)} nats (run) · recomputed from the drawn parameters: ${fmt(recomputed, 4)} nats (${param})`,
    colorLine + (outside > 0 ? ` · ${outside} ${paramName === 'anchors' ? 'anchor' : paramName === 'planes' ? 'plane' : 'cut'}${outside === 1 ? '' : 's'} outside the plot` : ''),
  ];
  const axis = (lo: number, hi: number) => ({
    type: 'value' as const,
    min: lo,
    max: hi,
    axisLine: { onZero: false, lineStyle: { color: MUTED_COLOR } },
    axisLabel: { color: MUTED_COLOR, fontSize: 10, formatter: (v: number) => formatNumber(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  });
  const what = state.surrogate === 'ball' ? 'anchor' : 'cell';
  return {
    colorMode,
    recomputedNats: recomputed,
    option: {
      ...baseOption(opts.title ?? `${which === 'before' ? 'Before' : 'After'} fitting · set ${state.set} (${state.family}), n = ${n}`, sub.join('\n')),
      legend: { bottom: 0, left: 'center', textStyle: { fontSize: 11 }, data: legendNames(series) },
      grid: { width: size, height: size, left: 'center', top: gridTop(sub.length) },
      tooltip: {
        trigger: 'item',
        formatter: escapedTooltip((p) => {
          const one = Array.isArray(p) ? p[0] : p;
          const v = one.value as number[];
          if (one.seriesType === 'line') return paramName;
          if (one.seriesName === 'anchors') return `anchor ${v[2]}<br/>(${formatNumber(v[0])}, ${formatNumber(v[1])})`;
          const share = soft ? ` (membership ${formatNumber(v[3])})` : '';
          return `(${formatNumber(v[0])}, ${formatNumber(v[1])})<br/>${what} ${v[2]}${share}`;
        }),
      },
      xAxis: axis(box.x0, box.x1),
      yAxis: axis(box.y0, box.y1),
      series,
    },
  };
}

// ─────────────────────────────────────────────────────────────────────── Table 15 estimators per set

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
