/**
 * Figures of an `entropynet-train` run (paper Fig. 10, Table 2, Table 22): training curves
 * grouped by what they measure, the before/after point sets with both hulls, the pipeline table's rows with
 * their 95% CIs, and end-to-end against algorithm-only speedup with CI whiskers and a line at 1×.
 * Pure (no DOM, no Node): the renderer mounts these options in EChart.svelte, the tests render them headless.
 *
 * The summary and the before-after artifact are JSON from the store (NaN became null); the readers below take
 * whatever they are given and return what they can, so an older or half-written run still shows something.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { escapedTooltip, tipTooltip } from './escape-html';
import type { JsonObject, MetricSeries } from '../api/contract';
import type { EstimateResult } from '../../src-worker/shared/results/schema-parts';
import type {
  BreakEvenInputsResult,
  EntropynetHeadlineResult,
  PipelineModeResult,
  PipelineRowResult,
} from '../../src-worker/shared/results/entropynet-train';
import { formatNumber, metricPairs } from './metric-line';
import { NON_NEGATIVE, FRACTION, boundedEstimate, positiveEstimate, type Domain, type SeedEstimate } from '../../src-worker/shared/stats';
import { positiveInterval, rebuiltNote } from './positive-ci';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR, baseOption, axisCommon } from './theme';

// ── Reading the summary ──

/** The stored layout's own types (src-worker/shared/results): a mean with its 95% interval, a pipeline row, … */
export type Estimate = EstimateResult;
export type PipelineMode = PipelineModeResult;
export type PipelineRow = PipelineRowResult;
export type BreakEvenInputs = BreakEvenInputsResult;
export type EntropyNetHeadline = EntropynetHeadlineResult;

/** The summary as the EntropyNet panel reads it (camelCase view of the stored snake_case layout). */
export interface EntropyNetSummary {
  backend: string | null;
  params: number | null;
  k: number | null;
  epochsCompleted: number | null;
  stoppedEarly: boolean | null;
  bestEpoch: number | null;
  trainTimeS: number | null;
  finalValidation: Record<string, number | null>;
  headline: EntropyNetHeadline | null;
  pipeline: PipelineRow[];
  breakEven: BreakEvenInputs | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** An Estimate from `{mean, ci95, n}`, a bare number (no CI), or anything else (all null). */
export function readEstimate(v: unknown): Estimate {
  if (typeof v === 'number') return { mean: numOrNull(v), ci95: [null, null], n: Number.isFinite(v) ? 1 : 0 };
  if (!isObj(v)) return { mean: null, ci95: [null, null], n: 0 };
  const ci = Array.isArray(v.ci95) ? v.ci95 : [];
  return { mean: numOrNull(v.mean), ci95: [numOrNull(ci[0]), numOrNull(ci[1])], n: numOrNull(v.n) ?? 0 };
}

export function readPipelineRow(v: unknown): PipelineRow | null {
  if (!isObj(v) || typeof v.dataset !== 'string' || typeof v.algorithm !== 'string') return null;
  const exact = v.mode === 'entropynet-exact';
  return {
    dataset: v.dataset,
    n: numOrNull(v.n) ?? 0,
    algorithm: v.algorithm,
    mode: exact ? 'entropynet-exact' : 'entropynet',
    raw_ms: readEstimate(v.raw_ms),
    preprocess_ms: readEstimate(v.preprocess_ms),
    algorithm_ms: readEstimate(v.algorithm_ms),
    end_to_end_ms: readEstimate(v.end_to_end_ms),
    end_to_end_speedup: readEstimate(v.end_to_end_speedup),
    algorithm_speedup: readEstimate(v.algorithm_speedup),
    algorithm_warm_ms: readEstimate(v.algorithm_warm_ms),
    hull_error_pct: readEstimate(v.hull_error_pct),
    hausdorff: readEstimate(v.hausdorff),
    certified_fraction: numOrNull(v.certified_fraction),
    all_match_raw: typeof v.all_match_raw === 'boolean' ? v.all_match_raw : null,
    kept_fraction: v.kept_fraction == null ? null : readEstimate(v.kept_fraction),
  };
}

function readBreakEven(v: unknown): BreakEvenInputs | null {
  if (!isObj(v)) return null;
  const t = numOrNull(v.trainingSeconds);
  const s = numOrNull(v.speedup);
  const raw = numOrNull(v.rawSeconds);
  if (t === null || s === null || raw === null) return null;
  const ci = Array.isArray(v.speedupCi95) ? v.speedupCi95.map(numOrNull) : [];
  return {
    trainingSeconds: t,
    speedup: s,
    speedupCi95: ci.length === 2 && ci[0] !== null && ci[1] !== null ? [ci[0], ci[1]] : null,
    rawSeconds: raw,
    note: str(v.note),
  };
}

export function entropyNetSummary(summary: JsonObject | null | undefined): EntropyNetSummary {
  const s = summary ?? {};
  const fv: Record<string, number | null> = {};
  if (isObj(s.final_validation)) for (const [k, v] of Object.entries(s.final_validation)) fv[k] = numOrNull(v);
  const h = isObj(s.headline) ? s.headline : null;
  return {
    backend: typeof s.backend === 'string' ? s.backend : null,
    params: numOrNull(s.params),
    k: numOrNull(s.k),
    epochsCompleted: numOrNull(s.epochs_completed),
    stoppedEarly: typeof s.stopped_early === 'boolean' ? s.stopped_early : null,
    bestEpoch: numOrNull(s.best_epoch),
    trainTimeS: numOrNull(s.train_time_s),
    finalValidation: fv,
    headline: h
      ? {
          dataset: str(h.dataset),
          n: numOrNull(h.n) ?? 0,
          algorithm: str(h.algorithm),
          end_to_end_speedup: readEstimate(h.end_to_end_speedup),
          algorithm_speedup: readEstimate(h.algorithm_speedup),
          hull_error_pct: readEstimate(h.hull_error_pct),
          exact_end_to_end_speedup: h.exact_end_to_end_speedup == null ? null : readEstimate(h.exact_end_to_end_speedup),
          exact_all_match_raw: typeof h.exact_all_match_raw === 'boolean' ? h.exact_all_match_raw : null,
        }
      : null,
    pipeline: Array.isArray(s.pipeline) ? s.pipeline.map(readPipelineRow).filter((r): r is PipelineRow => r !== null) : [],
    breakEven: readBreakEven(s.breakEven),
  };
}

// ── Formatting (shared by the table, the tooltips and the sweep view) ──

/** `1.23 [1.01, 1.45]`; the interval is left out when it is not known. */
export function formatEstimate(e: Estimate, unit = ''): string {
  if (e.mean === null) return '–';
  const ci = e.ci95[0] !== null && e.ci95[1] !== null ? ` [${formatNumber(e.ci95[0])}, ${formatNumber(e.ci95[1])}]` : '';
  return `${formatNumber(e.mean)}${unit}${ci}`;
}

/** A ratio to 3 significant digits (0.0366, 1.05, 412): enough to read a speedup, short enough for a table. */
export function formatRatio(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-4)) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

export type SpeedupVerdict = 'faster' | 'slower' | 'even' | 'unknown';

/**
 * Faster or slower, honestly: a mean below 1 is "slower" whatever its interval says; "even" only when the
 * interval holds 1 and the mean is within 5% of it.
 */
export function speedupVerdict(e: Estimate): SpeedupVerdict {
  if (e.mean === null) return 'unknown';
  const [lo, hi] = e.ci95;
  if (lo !== null && hi !== null && lo <= 1 && hi >= 1 && Math.abs(e.mean - 1) < 0.05) return 'even';
  return e.mean < 1 ? 'slower' : 'faster';
}

/** `0.03× — slower` / `4.2× faster` / `1.01× — even`: the mean with what it means. */
export function formatSpeedup(e: Estimate): string {
  if (e.mean === null) return '–';
  const v = speedupVerdict(e);
  const x = `${formatRatio(e.mean)}×`;
  return v === 'slower' ? `${x} — slower` : v === 'even' ? `${x} — even` : `${x} faster`;
}

export const MODE_LABEL: Record<PipelineMode, string> = { entropynet: 'perturbing', 'entropynet-exact': 'exact' };

export const pipelineRowLabel = (r: PipelineRow): string => `${r.dataset} · n = ${r.n.toLocaleString('en-US')} · ${r.algorithm} · ${MODE_LABEL[r.mode]}`;

// ── Shared option pieces ──



const valueFormatter = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : String(v ?? '–'));

// ── Training curves ──

export interface CurveKey {
  key: string;
  label: string;
  /** 0: left axis, 1: right axis. */
  axis?: 0 | 1;
  dashed?: boolean;
}

export interface CurveGroup {
  id: string;
  title: string;
  keys: readonly CurveKey[];
  yNames: readonly [string] | readonly [string, string];
}

/**
 * The per-epoch metrics in a few charts: what is optimised, the entropies (surrogate and hard in nats on the
 * left, the structural bound in bits on the right), the margin that drives early stopping, hull quality on
 * validation, and cost. Keys a run did not log are left out of their chart; a chart with none is not drawn.
 */
export const TRAINING_GROUPS: readonly CurveGroup[] = [
  {
    id: 'loss',
    title: 'Loss',
    yNames: ['loss'],
    keys: [
      { key: 'train/loss', label: 'train loss' },
      { key: 'train/task_loss', label: 'train task loss' },
      { key: 'val/task_loss', label: 'val task loss', dashed: true },
      { key: 'val/objective', label: 'val objective (task + λ·H)', dashed: true },
    ],
  },
  {
    id: 'entropy',
    title: 'Entropy',
    yNames: ['nats', 'bits'],
    keys: [
      { key: 'train/h_soft_nats', label: 'train H surrogate' },
      { key: 'val/h_soft_nats', label: 'val H surrogate', dashed: true },
      { key: 'val/h_hard_nats', label: 'val H hard' },
      { key: 'val/err_hard_soft_nats', label: '|H_hard − H_soft|' },
      { key: 'val/structural_bits', label: "structural S′ (bits)", axis: 1 },
      { key: 'val/structural_bits_input', label: 'structural S (bits)', axis: 1, dashed: true },
    ],
  },
  {
    id: 'margin',
    title: 'Margin γ̂ (validation)',
    yNames: ['γ̂'],
    keys: [
      { key: 'val/margin', label: 'γ̂ (min)' },
      { key: 'val/margin_p05', label: 'γ̂₅ (5th pct., early stop)' },
    ],
  },
  {
    id: 'hull',
    title: 'Hull quality (validation)',
    yNames: ['hull error %', 'Hausdorff'],
    keys: [
      { key: 'val/hull_error_pct', label: 'hull error %' },
      { key: 'val/hausdorff', label: 'Hausdorff (hulls)', axis: 1 },
      { key: 'val/hausdorff_points', label: 'Hausdorff (points)', axis: 1, dashed: true },
    ],
  },
  {
    id: 'cost',
    title: 'Cost and schedule',
    yNames: ['s', 'value'],
    keys: [
      { key: 'epoch_time_s', label: 'epoch time (s)' },
      { key: 'train/grad_norm', label: 'grad norm', axis: 1 },
      { key: 'train/alpha', label: 'α', axis: 1, dashed: true },
    ],
  },
];

/** Every key the groups draw (what the panel fetches). */
export const TRAINING_KEYS: readonly string[] = TRAINING_GROUPS.flatMap((g) => g.keys.map((k) => k.key));

export interface TrainingCurveOptions {
  /** First epoch with the entropy term: a vertical marker. */
  regStartEpoch?: number | null;
  /** Epoch of the evaluated (best) model: a vertical marker. */
  bestEpoch?: number | null;
  logY?: boolean;
}

/** The keys of `group` present in `series`, in the group's order. */
export function groupSeries(group: CurveGroup, series: readonly MetricSeries[]): Array<{ spec: CurveKey; series: MetricSeries }> {
  const byKey = new Map(series.map((s) => [s.key, s]));
  return group.keys.flatMap((spec) => {
    const s = byKey.get(spec.key);
    return s && s.points.some((p) => p.value !== null && Number.isFinite(p.value)) ? [{ spec, series: s }] : [];
  });
}

export function trainingCurvesOption(group: CurveGroup, series: readonly MetricSeries[], opts: TrainingCurveOptions = {}): EChartsOption {
  const shown = groupSeries(group, series);
  const logY = opts.logY ?? false;
  const twoAxes = group.yNames.length === 2 && shown.some((s) => s.spec.axis === 1) && shown.some((s) => (s.spec.axis ?? 0) === 0);
  const rightOnly = !twoAxes && shown.length > 0 && shown.every((s) => s.spec.axis === 1);
  const marks: Array<{ xAxis: number; name: string }> = [];
  if (opts.regStartEpoch != null && opts.regStartEpoch > 0) marks.push({ xAxis: opts.regStartEpoch, name: 'λ·H on' });
  if (opts.bestEpoch != null) marks.push({ xAxis: opts.bestEpoch, name: 'best' });
  const lines: LineSeriesOption[] = shown.map(({ spec, series: s }, i) => ({
    type: 'line',
    name: spec.label,
    data: metricPairs(s, logY),
    yAxisIndex: twoAxes ? (spec.axis ?? 0) : 0,
    showSymbol: s.points.length <= 30,
    symbolSize: 4,
    lineStyle: { width: 1.6, type: spec.dashed ? 'dashed' : 'solid' },
    connectNulls: false,
    emphasis: { disabled: true },
    markLine:
      i === 0 && marks.length
        ? {
            symbol: 'none',
            silent: true,
            lineStyle: { color: MUTED_COLOR, type: 'dotted', width: 1 },
            label: { formatter: '{b}', color: MUTED_COLOR, fontSize: 10, position: 'insideEndTop' },
            data: marks,
          }
        : undefined,
  }));
  const yAxis = (name: string, left: boolean) => ({
    ...axisCommon,
    type: logY ? ('log' as const) : ('value' as const),
    scale: !logY,
    name,
    nameLocation: 'middle' as const,
    nameGap: left ? 46 : 42,
    nameRotate: left ? 90 : -90,
    axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
    splitLine: { show: left, lineStyle: { color: GRID_LINE_COLOR } },
  });
  const rows = Math.ceil(shown.length / 3);
  return {
    ...baseOption(group.title),
    legend: shown.length > 1 ? { bottom: 0, textStyle: { fontSize: 11 }, itemWidth: 18 } : undefined,
    grid: { left: 62, right: twoAxes ? 60 : 20, top: 40, bottom: 40 + (shown.length > 1 ? 20 * rows : 0) },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line', snap: true }, valueFormatter },
    xAxis: {
      ...axisCommon,
      type: 'value',
      name: 'epoch',
      nameLocation: 'middle',
      nameGap: 24,
      min: 'dataMin',
      max: 'dataMax',
      minInterval: 1,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: twoAxes ? [yAxis(group.yNames[0], true), yAxis(group.yNames[1]!, false)] : yAxis(rightOnly ? group.yNames[1]! : group.yNames[0], true),
    series: lines,
  };
}

// ── Before / after (Fig. 10) ──

export interface BeforeAfter {
  dataset: string;
  n: number;
  seed: number | null;
  epoch: number | null;
  /** Flat [x0, y0, x1, y1, …]. */
  before: Float64Array;
  after: Float64Array;
  /** Hull vertices as indices into `before` / `after`, in order. */
  hullBefore: Uint32Array;
  hullAfter: Uint32Array;
}

function readPoints(v: unknown): Float64Array | null {
  if (!Array.isArray(v) || v.length % 2 !== 0) return null;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}

/**
 * A hull as vertex indices. The artifact stores indices (`hullEncoding: "indices into before / after"`, and the
 * artifact meta says so too); a hull stored as flat coordinates is mapped back to indices by exact match.
 */
function readHull(v: unknown, points: Float64Array, encoding: string): Uint32Array | null {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const m = points.length / 2;
  const nums = v as number[];
  const asIndices = /ind/i.test(encoding) || (encoding === '' && nums.every((x) => Number.isInteger(x) && x >= 0 && x < m));
  if (asIndices) return nums.every((x) => Number.isInteger(x) && x >= 0 && x < m) ? Uint32Array.from(nums) : null;
  if (nums.length % 2 !== 0) return null;
  const index = new Map<string, number>();
  for (let i = 0; i < m; i++) index.set(`${points[2 * i]},${points[2 * i + 1]}`, i);
  const out: number[] = [];
  for (let i = 0; i < nums.length; i += 2) {
    const j = index.get(`${nums[i]},${nums[i + 1]}`);
    if (j === undefined) return null;
    out.push(j);
  }
  return Uint32Array.from(out);
}

export function parseBeforeAfter(json: unknown, meta: JsonObject = {}): BeforeAfter | null {
  if (!isObj(json)) return null;
  const before = readPoints(json.before);
  const after = readPoints(json.after);
  if (!before || !after || before.length !== after.length || before.length === 0) return null;
  const encoding = str(json.hullEncoding, str(meta.hullEncoding));
  const hullBefore = readHull(json.hullBefore, before, encoding);
  const hullAfter = readHull(json.hullAfter, after, encoding);
  if (!hullBefore || !hullAfter) return null;
  return {
    dataset: str(json.dataset, str(meta.dataset, 'point set')),
    n: numOrNull(json.n) ?? numOrNull(meta.n) ?? before.length / 2,
    seed: numOrNull(json.seed),
    epoch: numOrNull(meta.epoch),
    before,
    after,
    hullBefore,
    hullAfter,
  };
}

/** The closed polygon of a hull given by indices. */
export function hullRing(points: Float64Array, hull: Uint32Array): Array<[number, number]> {
  const ring: Array<[number, number]> = [];
  for (const i of hull) ring.push([points[2 * i], points[2 * i + 1]]);
  if (ring.length > 0) ring.push(ring[0]);
  return ring;
}

/** Shoelace area of a ring (closed or not). */
export function ringArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(a) / 2;
}

export interface Square {
  minX: number;
  minY: number;
  span: number;
}

/** One square box holding both point sets, so the two panels share a scale. */
export function beforeAfterBox(data: BeforeAfter, marginFraction = 0.04): Square {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of [data.before, data.after]) {
    for (let i = 0; i < p.length; i += 2) {
      if (p[i] < minX) minX = p[i];
      if (p[i] > maxX) maxX = p[i];
      if (p[i + 1] < minY) minY = p[i + 1];
      if (p[i + 1] > maxY) maxY = p[i + 1];
    }
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-12) * (1 + 2 * marginFraction);
  return { minX: (minX + maxX) / 2 - span / 2, minY: (minY + maxY) / 2 - span / 2, span };
}

/**
 * One panel of Fig. 10: the points of S (before) or S′ (after) with that set's hull drawn solid, and the other
 * set's hull dashed over it, so the change of the hull reads in either panel. The subtitle gives the hull sizes
 * and the relative area change |A(S′) − A(S)| / A(S).
 */
export function beforeAfterOption(data: BeforeAfter, which: 'before' | 'after', opts: { plotSize?: number; box?: Square; title?: string } = {}): EChartsOption {
  const size = opts.plotSize ?? 300;
  const box = opts.box ?? beforeAfterBox(data);
  const pts = which === 'before' ? data.before : data.after;
  const m = pts.length / 2;
  const points: Array<[number, number]> = new Array(m);
  for (let i = 0; i < m; i++) points[i] = [pts[2 * i], pts[2 * i + 1]];
  const ringBefore = hullRing(data.before, data.hullBefore);
  const ringAfter = hullRing(data.after, data.hullAfter);
  const areaBefore = ringArea(ringBefore);
  const areaChange = areaBefore > 0 ? (100 * Math.abs(ringArea(ringAfter) - areaBefore)) / areaBefore : null;
  const own = which === 'before' ? ringBefore : ringAfter;
  const other = which === 'before' ? ringAfter : ringBefore;
  const ownColor = which === 'before' ? PALETTE[0] : PALETTE[1];
  const otherColor = which === 'before' ? PALETTE[1] : PALETTE[0];
  const axis = (min: number) => ({
    ...axisCommon,
    type: 'value' as const,
    min,
    max: min + box.span,
    axisLabel: { color: MUTED_COLOR, fontSize: 10, formatter: (v: number) => formatNumber(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  });
  const title = opts.title ?? (which === 'before' ? 'Before: S' : 'After: S′ = S + σ·tanh(Δ)');
  const sub =
    `${data.dataset}, n = ${data.n.toLocaleString('en-US')}${data.seed === null ? '' : `, seed ${data.seed}`}` +
    ` · hull ${data.hullBefore.length} → ${data.hullAfter.length} vertices` +
    (areaChange === null ? '' : ` · area change ${formatNumber(areaChange)}%`);
  const scatter: ScatterSeriesOption = {
    type: 'scatter',
    name: which === 'before' ? 'points of S' : 'points of S′',
    data: points,
    symbolSize: m > 5000 ? 2 : 3,
    large: m > 2000,
    largeThreshold: 2000,
    itemStyle: { color: '#94a3b8', opacity: 0.8 },
    emphasis: { disabled: true },
  };
  const hullLine = (name: string, ring: Array<[number, number]>, color: string, dashed: boolean): LineSeriesOption => ({
    type: 'line',
    name,
    data: ring,
    showSymbol: !dashed,
    symbol: 'circle',
    symbolSize: 4,
    lineStyle: { color, width: dashed ? 1.2 : 1.8, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color },
    z: dashed ? 3 : 4,
    emphasis: { disabled: true },
  });
  return {
    ...baseOption(title, sub),
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    grid: { width: size, height: size, left: 'center', top: 52 },
    tooltip: {
      trigger: 'item',
      formatter: escapedTooltip((p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const v = one.value as [number, number];
        return `${one.seriesName}<br/>(${formatNumber(v[0])}, ${formatNumber(v[1])})`;
      }),
    },
    xAxis: axis(box.minX),
    yAxis: axis(box.minY),
    series: [
      scatter,
      hullLine(which === 'before' ? 'hull of S' : 'hull of S′', own, ownColor, false),
      hullLine(which === 'before' ? 'hull of S′ (after)' : 'hull of S (before)', other, otherColor, true),
    ],
  };
}

// ── Speedups with CI whiskers ──

/**
 * End-to-end (network + hull) against algorithm-only (hull of S′ vs hull of S) speedup per pipeline row, each
 * a bar with its 95% CI whisker, on a log axis so that 0.03× and 5× both read, with a line at 1× (break-even
 * per instance). Bars grow from 1×: up is faster, down is slower.
 *
 *      ┬          ┬ ← CI upper
 *    ┌─┼─┐      ┌─┼─┐
 *  ──┼─┴─┼──────┼─┴─┼── 1×
 *    └───┘      │   │
 *               └───┘   ← a slower pipeline hangs below the line
 */
export function speedupBarsOption(rows: readonly PipelineRow[], opts: { title?: string; logY?: boolean } = {}): EChartsOption {
  const logY = opts.logY ?? true;
  const categories = rows.map((r) => `${r.algorithm}\nn=${r.n.toLocaleString('en-US')}${rows.some((x) => x.dataset !== r.dataset) ? `\n${r.dataset}` : ''}${rows.some((x) => x.mode !== r.mode) ? `\n${MODE_LABEL[r.mode]}` : ''}`);
  const kinds = [
    { name: 'end-to-end (network + hull)', pick: (r: PipelineRow) => r.end_to_end_speedup },
    { name: 'algorithm only (hull of S′)', pick: (r: PipelineRow) => r.algorithm_speedup },
  ] as const;
  let lo = Infinity;
  let hi = -Infinity;
  let rebuilt = 0;
  const series: CustomSeriesOption[] = kinds.map((kind, g) => {
    const renderItem: CustomSeriesRenderItem = (_params, api) => {
      const cat = api.value(0) as number;
      const mean = api.value(1) as number;
      const ciLo = api.value(2) as number;
      const ciHi = api.value(3) as number;
      const band = api.size!([1, 1]) as number[];
      const groupWidth = band[0] * 0.72;
      const slot = groupWidth / kinds.length;
      const barWidth = Math.max(2, Math.min(slot * 0.8, 44));
      const x = (api.coord([cat, 1]) as number[])[0] - groupWidth / 2 + (g + 0.5) * slot;
      const yOne = (api.coord([cat, 1]) as number[])[1];
      const yMean = (api.coord([cat, mean]) as number[])[1];
      const yLo = (api.coord([cat, ciLo]) as number[])[1];
      const yHi = (api.coord([cat, ciHi]) as number[])[1];
      const cap = Math.min(barWidth * 0.45, 7);
      const stroke = { stroke: TEXT_COLOR, lineWidth: 1.2 };
      return {
        type: 'group',
        children: [
          {
            type: 'rect',
            shape: { x: x - barWidth / 2, y: Math.min(yOne, yMean), width: barWidth, height: Math.max(1, Math.abs(yOne - yMean)) },
            style: { fill: api.visual('color') as string, opacity: mean < 1 ? 0.55 : 0.9 },
          },
          { type: 'line', shape: { x1: x, y1: yLo, x2: x, y2: yHi }, style: stroke },
          { type: 'line', shape: { x1: x - cap, y1: yHi, x2: x + cap, y2: yHi }, style: stroke },
          { type: 'line', shape: { x1: x - cap, y1: yLo, x2: x + cap, y2: yLo }, style: stroke },
        ],
      };
    };
    const data = rows.flatMap((r, i) => {
      const e = kind.pick(r);
      if (e.mean === null || !(e.mean > 0)) return [];
      const iv = positiveInterval(e.mean, e.ci95);
      if (iv.source === 'log-space') rebuilt++;
      const ciLo = iv.ci?.[0] ?? e.mean;
      const ciHi = iv.ci?.[1] ?? e.mean;
      lo = Math.min(lo, ciLo, e.mean);
      hi = Math.max(hi, ciHi, e.mean);
      return [
        {
          value: [i, e.mean, ciLo, ciHi],
          tip: `<b>${pipelineRowLabel(r)}</b><br/>${kind.name}: ${formatSpeedup(e)}<br/>mean ${formatEstimate(e, '×')} (95% CI, ${e.n} seeds)`,
        },
      ];
    });
    return { type: 'custom', name: kind.name, renderItem, encode: { x: 0, y: [1, 2, 3] }, data, z: 2 };
  });
  // Keep 1× on the axis, and round log ends to decades.
  lo = Math.min(Number.isFinite(lo) ? lo : 1, 1);
  hi = Math.max(Number.isFinite(hi) ? hi : 1, 1);
  const yMin = logY ? 10 ** Math.floor(Math.log10(lo) - 1e-9) : 0;
  const yMax = logY ? 10 ** Math.ceil(Math.log10(hi) + 1e-9) : undefined;
  series.push({
    type: 'custom',
    name: '1×',
    renderItem: () => ({ type: 'group', children: [] }),
    data: [],
    markLine: {
      symbol: 'none',
      silent: true,
      lineStyle: { color: TEXT_COLOR, type: 'solid', width: 1 },
      label: { formatter: '1×', color: TEXT_COLOR, fontSize: 11, position: 'end' },
      data: [{ yAxis: 1 }],
    },
  } as CustomSeriesOption);
  const labelRows = Math.max(1, ...categories.map((c) => c.split('\n').length));
  return {
    ...baseOption(opts.title ?? 'Speedup over the raw hull', `bars from 1×: up = faster, down = slower · whiskers: 95% CI over seeds${rebuiltNote(rebuilt)} · log scale`),
    legend: { bottom: 0, data: kinds.map((k) => k.name), textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 36, top: 52, bottom: 40 + 14 * labelRows },
    tooltip: {
      trigger: 'item',
      formatter: tipTooltip,
    },
    xAxis: {
      ...axisCommon,
      type: 'category',
      data: categories,
      axisLabel: { color: TEXT_COLOR, fontSize: 10, interval: 0, lineHeight: 13 },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      ...axisCommon,
      type: logY ? 'log' : 'value',
      min: yMin,
      max: yMax,
      name: 'speedup (×)',
      nameLocation: 'middle',
      nameGap: 46,
      nameRotate: 90,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => `${formatNumber(v)}×` },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series,
  };
}

// ── Provisional pipeline rows from the timing samples (while the evaluation is still going) ──

/** A time or a speedup over seeds, as the worker computes its pipeline rows (shared/stats), with null for NaN. */
export function positiveEstimateOf(values: readonly number[], centre: 'mean' | 'geometric'): Estimate {
  return storedEstimate(positiveEstimate(values, centre));
}

/** Mean and 95% Student-t interval of finite values, cut to the quantity's domain (null with fewer than two). */
export function estimateOf(values: readonly number[], domain: Domain = NON_NEGATIVE): Estimate {
  return storedEstimate(boundedEstimate(values, domain));
}

/** What JSON makes of an in-memory estimate: NaN becomes null. */
function storedEstimate(e: SeedEstimate): Estimate {
  const f = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return { mean: f(e.mean), ci95: [f(e.ci95[0]), f(e.ci95[1])], n: e.n };
}

interface TimingLike {
  dataset: string;
  n: number;
  algorithm: string;
  preprocess: string;
  seed: number;
  ms: number;
  quality: Record<string, number | null> | null;
}

/**
 * The pipeline table as far as the timing rows go, for a run whose evaluation has not finished: per seed the
 * mean of its repeats, then mean and CI over seeds, as pipeline.ts does. The algorithm-only speedup here is raw
 * over the algorithm time measured right after a forward (the run's own figure uses a separate warm timing),
 * so it is marked provisional by the caller.
 */
export function pipelineFromTimings(samples: readonly TimingLike[]): PipelineRow[] {
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const raw = new Map<string, number[]>();
  const groups = new Map<string, Map<number, TimingLike[]>>();
  for (const s of samples) {
    const base = `${s.dataset}|${s.n}|${s.algorithm}`;
    if (s.preprocess === 'raw') {
      const k = `${base}|${s.seed}`;
      raw.set(k, [...(raw.get(k) ?? []), s.ms]);
    } else if (s.preprocess === 'entropynet' || s.preprocess === 'entropynet-exact') {
      const k = `${base}|${s.preprocess}`;
      const bySeed = groups.get(k) ?? new Map<number, TimingLike[]>();
      bySeed.set(s.seed, [...(bySeed.get(s.seed) ?? []), s]);
      groups.set(k, bySeed);
    }
  }
  const rows: PipelineRow[] = [];
  for (const [key, bySeed] of groups) {
    const [dataset, n, algorithm, mode] = key.split('|');
    const per = [...bySeed.entries()].map(([seed, ss]) => {
      const q = (name: string): number => mean(ss.map((s) => s.quality?.[name] ?? NaN).filter(Number.isFinite));
      const r = mean(raw.get(`${dataset}|${n}|${algorithm}|${seed}`) ?? []);
      const pre = q('preprocess_ms');
      const alg = q('algorithm_ms');
      return { r, pre, alg, e2e: mean(ss.map((s) => s.ms)), err: q('hull_error_pct'), haus: q('hausdorff'), certified: q('certified'), match: q('matches_raw'), kept: q('kept_fraction') };
    });
    const exact = mode === 'entropynet-exact';
    rows.push({
      dataset,
      n: Number(n),
      algorithm,
      mode: exact ? 'entropynet-exact' : 'entropynet',
      raw_ms: positiveEstimateOf(per.map((p) => p.r), 'mean'),
      preprocess_ms: positiveEstimateOf(per.map((p) => p.pre), 'mean'),
      algorithm_ms: positiveEstimateOf(per.map((p) => p.alg), 'mean'),
      end_to_end_ms: positiveEstimateOf(per.map((p) => p.e2e), 'mean'),
      end_to_end_speedup: positiveEstimateOf(per.map((p) => p.r / p.e2e), 'geometric'),
      algorithm_speedup: positiveEstimateOf(per.map((p) => p.r / p.alg), 'geometric'),
      algorithm_warm_ms: estimateOf([]),
      hull_error_pct: estimateOf(per.map((p) => p.err)),
      hausdorff: estimateOf(per.map((p) => p.haus)),
      certified_fraction: exact ? estimateOf(per.map((p) => p.certified)).mean : null,
      all_match_raw: exact ? per.every((p) => p.match === 1) : null,
      kept_fraction: exact ? estimateOf(per.map((p) => p.kept), FRACTION) : null,
    });
  }
  return rows.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.n - b.n || a.algorithm.localeCompare(b.algorithm) || a.mode.localeCompare(b.mode));
}
