/**
 * Figures of a `sweep` run (paper Fig. 5 heatmap, Fig. 6 λ trade-off, Tables 16–17): the
 * children's parameters and key numbers, a heatmap when two things vary (two grid keys, or one key × named
 * variants), a trade-off curve and a metric-against-value line when one numeric key varies, and bars for
 * categorical variants. Pure (no DOM, no Node); tests render the options headless.
 *
 * A finished sweep's summary lists its children; a running sweep has no summary yet, so the view builds the
 * same `SweepChild` rows from the child runs themselves (their params from the parent's `child-NNNN.json`
 * artifacts, or failing that from their config) and the figures do not care which.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { ENTROPYNET_SWEEP_METRICS, viewOf } from '../../src-worker/shared/results/views';
import type { JsonObject } from '../api/contract';
import { colorBarSeries, scaleColor } from './color-bar';
import { formatRatio, readEstimate, type Estimate } from './entropynet';
import { tipTooltip } from './escape-html';
import { formatNumber } from './metric-line';
import { positiveInterval } from './positive-ci';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR, baseOption, axisCommon } from './theme';

export interface SweepChild {
  runId: string;
  params: Record<string, unknown>;
  status: string;
  error: string | null;
  summary: JsonObject | null;
  /** The child run's recorded host (which machine measured it); absent in summaries of older sweeps. */
  host?: JsonObject | null;
}

export interface SweepInfo {
  kind: string;
  grid: Record<string, unknown[]>;
  variants: Array<Record<string, unknown>>;
  done: number | null;
  total: number | null;
  children: SweepChild[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function readGrid(v: unknown): Record<string, unknown[]> {
  if (!isObj(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, unknown[]] => Array.isArray(e[1])));
}

export function readSweepChild(v: unknown): SweepChild | null {
  if (!isObj(v) || typeof v.runId !== 'string') return null;
  return {
    runId: v.runId,
    params: isObj(v.params) ? v.params : {},
    status: typeof v.status === 'string' ? v.status : 'unknown',
    error: typeof v.error === 'string' ? v.error : null,
    summary: isObj(v.summary) ? v.summary : null,
    host: isObj(v.host) ? (v.host as JsonObject) : null,
  };
}

/** The sweep from its summary (when done) or its config (while running: no children yet). */
export function sweepInfo(summary: JsonObject | null | undefined, config: JsonObject = {}): SweepInfo {
  const s = summary ?? {};
  return {
    kind: typeof s.kind === 'string' ? s.kind : typeof config.kind === 'string' ? config.kind : 'unknown',
    grid: readGrid(s.grid ?? config.grid),
    variants: (Array.isArray(s.variants) ? s.variants : Array.isArray(config.variants) ? config.variants : []).filter(isObj),
    done: numOrNull(s.done),
    total: numOrNull(s.total),
    children: Array.isArray(s.children) ? s.children.map(readSweepChild).filter((c): c is SweepChild => c !== null) : [],
  };
}

function getDotted(obj: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = obj;
  for (const p of dotted.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A child's grid point read back from its config, for a child whose `child-NNNN.json` could not be read: each
 * grid key's value, and the variant whose keys all match (the most specific one, since an empty variant such as
 * Table 17's "full" matches every config).
 */
export function paramsFromConfig(config: JsonObject, grid: Record<string, unknown[]>, variants: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  let best: { v: Record<string, unknown>; keys: number } | null = null;
  for (const v of variants) {
    const keys = Object.keys(v).filter((k) => k !== 'variant');
    if (keys.every((k) => same(getDotted(config, k), v[k])) && (!best || keys.length > best.keys)) best = { v, keys: keys.length };
  }
  if (best) Object.assign(params, best.v);
  for (const key of Object.keys(grid)) params[key] = getDotted(config, key);
  return params;
}

// ── Dimensions and layout ──

export interface Dimension {
  /** A grid key, or "variant" for the named variants. */
  key: string;
  label: string;
  values: unknown[];
  numeric: boolean;
}

export const VARIANT_KEY = 'variant';

/** A variant's name: its "variant" key, else its settings. */
export function variantName(v: Record<string, unknown>): string {
  if (typeof v.variant === 'string') return v.variant;
  const rest = Object.entries(v).filter(([k]) => k !== VARIANT_KEY);
  return rest.length ? rest.map(([k, x]) => `${k}=${formatParam(x)}`).join(' ') : 'default';
}

export function formatParam(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (v === undefined) return '–';
  return JSON.stringify(v);
}

/** Every dimension of the sweep (variants first, as `expandGrid` crosses them outermost), varying or not. */
export function sweepDimensions(info: Pick<SweepInfo, 'grid' | 'variants'>): Dimension[] {
  const dims: Dimension[] = [];
  if (info.variants.length > 0) dims.push({ key: VARIANT_KEY, label: 'variant', values: info.variants.map(variantName), numeric: false });
  for (const [key, values] of Object.entries(info.grid)) {
    dims.push({ key, label: key, values, numeric: values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v)) });
  }
  return dims;
}

/** The value of a child on a dimension (a variant's name for the variant dimension). */
export function childValue(child: SweepChild, dim: Dimension): unknown {
  if (dim.key === VARIANT_KEY) return variantName(child.params);
  return child.params[dim.key];
}

export type SweepLayout =
  | { kind: 'heatmap'; x: Dimension; y: Dimension }
  | { kind: 'curve'; dim: Dimension }
  | { kind: 'bars'; dim: Dimension }
  | { kind: 'children' };

/**
 * What to draw: two varying dimensions → heatmap (a grid key on x, the variants — or the second key — on y);
 * one numeric key → curve; one categorical dimension → bars; anything else → bars over the children.
 */
export function sweepLayout(dims: readonly Dimension[]): SweepLayout {
  const varying = dims.filter((d) => d.values.length > 1);
  if (varying.length === 2) {
    const [a, b] = varying;
    return a.key === VARIANT_KEY ? { kind: 'heatmap', x: b, y: a } : { kind: 'heatmap', x: a, y: b };
  }
  if (varying.length === 1) return varying[0].numeric ? { kind: 'curve', dim: varying[0] } : { kind: 'bars', dim: varying[0] };
  return { kind: 'children' };
}

/** A short label of a child's grid point: `k=8 λ…`; only the dimensions that vary. */
export function childLabel(child: SweepChild, dims: readonly Dimension[]): string {
  const varying = dims.filter((d) => d.values.length > 1);
  const parts = varying.map((d) => (d.key === VARIANT_KEY ? variantName(child.params) : `${d.key}=${formatParam(child.params[d.key])}`));
  return parts.join(' · ') || child.runId;
}

// ── Metrics of a child ──

export interface SweepMetric {
  key: string;
  label: string;
  /** Table header; the label is its tooltip. */
  short?: string;
  unit: string;
  /** A ratio to a baseline: 1× is drawn, below it is "slower". */
  speedup?: boolean;
}

/** The numbers of an entropynet-train child the sweep compares (headline row and final validation). */
/** The value at a dotted summary path (a key may hold '/', never '.'). */
function valueAt(summary: JsonObject, path: string): unknown {
  let v: unknown = summary;
  for (const part of path.split('.')) {
    if (!isObj(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** A child's value of a metric, with its CI where the summary has one; null when it has none. */
export function childMetric(kind: string, summary: JsonObject | null, key: string): Estimate | null {
  if (!summary) return null;
  const declared = viewOf(kind)?.sweepMetrics?.find((m) => m.key === key);
  const v = declared ? valueAt(summary, declared.path) : summary[key];
  if (v == null) return null;
  const e = readEstimate(v);
  return e.mean === null ? null : e;
}

/** The metrics a sweep compares: those its kind's results declare, else every top-level number of the children. */
export function sweepMetrics(kind: string, children: readonly SweepChild[]): SweepMetric[] {
  const declared = viewOf(kind)?.sweepMetrics;
  if (declared) {
    return declared
      .filter((m) => children.some((c) => childMetric(kind, c.summary, m.key) !== null))
      .map((m) => ({ key: m.key, label: m.label, short: m.short, unit: m.unit, speedup: m.speedup }));
  }
  const keys: string[] = [];
  for (const c of children) {
    for (const [k, v] of Object.entries(c.summary ?? {})) {
      if (!keys.includes(k) && ((typeof v === 'number' && Number.isFinite(v)) || (isObj(v) && typeof v.mean === 'number'))) keys.push(k);
    }
  }
  return keys.map((k) => ({ key: k, label: k, unit: '', speedup: /speedup/i.test(k) }));
}

export function formatMetric(e: Estimate | null, m: SweepMetric): string {
  if (!e || e.mean === null) return '–';
  const unit = m.unit === '×' || m.unit === '%' ? m.unit : '';
  const base = `${m.speedup ? formatRatio(e.mean) : formatNumber(e.mean)}${unit}`;
  return m.speedup && e.mean < 1 ? `${base} — slower` : base;
}

// ── Shared option pieces ──



const ciText = (e: Estimate): string => (e.ci95[0] !== null && e.ci95[1] !== null ? ` [${formatNumber(e.ci95[0])}, ${formatNumber(e.ci95[1])}]` : '');

const oneLine = {
  symbol: 'none',
  silent: true,
  lineStyle: { color: TEXT_COLOR, type: 'dashed' as const, width: 1 },
  label: { formatter: '1×', color: MUTED_COLOR, fontSize: 10 },
};

/** A value axis that goes log when every value is positive and they span more than `ratio`. */
function autoLog(values: readonly number[], ratio = 30): boolean {
  const pos = values.filter((v) => Number.isFinite(v));
  return pos.length > 1 && pos.every((v) => v > 0) && Math.max(...pos) / Math.min(...pos) > ratio;
}

// ── Heatmap (Fig. 5) ──

export function sweepHeatmapOption(
  kind: string,
  children: readonly SweepChild[],
  x: Dimension,
  y: Dimension,
  metric: SweepMetric,
  opts: { title?: string } = {},
): EChartsOption {
  const xs = x.values.map(formatParam);
  const ys = y.values.map(formatParam);
  const data: Array<{ value: [number, number, number | '-']; tip: string }> = [];
  const finite: number[] = [];
  for (const c of children) {
    const xi = xs.indexOf(formatParam(childValue(c, x)));
    const yi = ys.indexOf(formatParam(childValue(c, y)));
    if (xi < 0 || yi < 0) continue;
    const e = childMetric(kind, c.summary, metric.key);
    if (e?.mean != null) finite.push(e.mean);
    data.push({
      value: [xi, yi, e?.mean ?? '-'],
      tip: `${x.label} = ${xs[xi]}, ${y.label} = ${ys[yi]}<br/>${metric.label}: ${e ? `${formatMetric(e, metric)}${ciText(e)}` : c.status === 'done' ? '–' : c.status}`,
    });
  }
  let min = finite.length ? Math.min(...finite) : 0;
  let max = finite.length ? Math.max(...finite) : 1;
  if (min === max) [min, max] = [min - 1e-9, max + 1e-9];
  const scale = { min, max, stops: ['#eff6ff', '#93c5fd', '#3b82f6', '#1e3a8a'] };
  // Cells are a custom series (a heatmap series insists on a visual map) and their values a scatter series'
  // labels, which every theme restyles like other text.
  const cells: CustomSeriesOption = {
    type: 'custom',
    id: 'sweep-cells',
    name: metric.label,
    data,
    encode: { x: 0, y: 1 },
    renderItem: (_params, api) => {
      const v = Number(api.value(2));
      if (!Number.isFinite(v)) return null;
      const [cx, cy] = api.coord([api.value(0), api.value(1)]);
      const [w, h] = api.size!([1, 1]) as number[];
      return { type: 'rect', shape: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, style: { fill: scaleColor(scale, v), stroke: '#fff', lineWidth: 2 } };
    },
  };
  const labels: ScatterSeriesOption = {
    type: 'scatter',
    // A child without a value is a blank cell.
    data: data.filter((d) => typeof d.value[2] === 'number'),
    symbolSize: 0,
    silent: true,
    tooltip: { show: false },
    z: 3,
    label: {
      show: true,
      position: 'inside',
      fontSize: 11,
      color: TEXT_COLOR,
      textBorderColor: '#fff',
      textBorderWidth: 2.5,
      formatter: (p) => {
        const v = (p.value as [number, number, number | '-'])[2];
        return typeof v === 'number' ? `${metric.speedup ? formatRatio(v) : formatNumber(v)}${metric.unit === '×' || metric.unit === '%' ? metric.unit : ''}` : '';
      },
    },
  };
  return {
    ...baseOption(opts.title ?? `${metric.label}: ${x.label} × ${y.label}`, metric.speedup ? 'cell = child run · below 1× the pipeline is slower than the raw hull' : 'cell = child run'),
    grid: { left: 96, right: 90, top: 52, bottom: 44 },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: { ...axisCommon, type: 'category', data: xs, name: x.label, nameLocation: 'middle', nameGap: 26, splitArea: { show: false }, axisLabel: { color: TEXT_COLOR, fontSize: 11 } },
    yAxis: { ...axisCommon, type: 'category', inverse: true, data: ys, name: y.label, nameLocation: 'middle', nameGap: 80, nameRotate: 90, axisLabel: { color: TEXT_COLOR, fontSize: 11, width: 72, overflow: 'truncate' } },
    series: [
      cells,
      labels,
      colorBarSeries({
        ...scale,
        right: 8,
        itemWidth: 20,
        itemHeight: 140,
        text: metric.speedup ? [`${formatRatio(max)}×`, `${formatRatio(min)}×`] : [formatNumber(max), formatNumber(min)],
        textStyle: { fontSize: 10, color: MUTED_COLOR },
      }),
    ],
  };
}

// ── Whiskers ──

/**
 * A custom series drawing a cross of CI whiskers at each point: value = [x, y, xLo, xHi, yLo, yHi]. No marker
 * of its own; the line or scatter series beside it draws the point and its label.
 *
 *        ┬ yHi
 *   ├────┼────┤   xLo … xHi
 *        ┴ yLo
 */
function whiskerSeries(name: string, data: Array<[number, number, number, number, number, number]>, color: string): CustomSeriesOption {
  const renderItem: CustomSeriesRenderItem = (_params, api) => {
    const [x, y] = api.coord([api.value(0), api.value(1)]) as number[];
    const xLo = (api.coord([api.value(2), api.value(1)]) as number[])[0];
    const xHi = (api.coord([api.value(3), api.value(1)]) as number[])[0];
    const yLo = (api.coord([api.value(0), api.value(4)]) as number[])[1];
    const yHi = (api.coord([api.value(0), api.value(5)]) as number[])[1];
    const cap = 4;
    const style = { stroke: color, lineWidth: 1, opacity: 0.8 };
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: x, y1: yLo, x2: x, y2: yHi }, style },
        { type: 'line', shape: { x1: x - cap, y1: yLo, x2: x + cap, y2: yLo }, style },
        { type: 'line', shape: { x1: x - cap, y1: yHi, x2: x + cap, y2: yHi }, style },
        { type: 'line', shape: { x1: xLo, y1: y, x2: xHi, y2: y }, style },
        { type: 'line', shape: { x1: xLo, y1: y - cap, x2: xLo, y2: y + cap }, style },
        { type: 'line', shape: { x1: xHi, y1: y - cap, x2: xHi, y2: y + cap }, style },
      ],
    };
  };
  return { type: 'custom', name, renderItem, data, encode: { x: [0, 2, 3], y: [1, 4, 5] }, silent: true, z: 1 };
}

/**
 * CI ends of a whisker. A speedup's or a time's interval that reached ≤ 0 as stored (a t-interval of few seeds)
 * is redrawn in log space, never cut at the axis; other quantities keep their interval.
 */
function ends(e: Estimate, log: boolean, positive = log): [number, number] {
  const m = e.mean as number;
  if (positive && m > 0) {
    const iv = positiveInterval(m, e.ci95);
    if (iv.ci) return iv.ci;
  }
  return [e.ci95[0] ?? m, e.ci95[1] ?? m];
}

// ── Trade-off curve (Fig. 6) ──

/**
 * Speedup against hull error as one key (λ) varies: one line per speedup (end-to-end, algorithm-only), each
 * point labelled with the key's value, CI whiskers on both axes where the summary has them, a line at 1×.
 */
export function sweepTradeoffOption(
  kind: string,
  children: readonly SweepChild[],
  dim: Dimension,
  opts: { x?: SweepMetric; ys?: readonly SweepMetric[]; title?: string } = {},
): EChartsOption {
  const xm = opts.x ?? ENTROPYNET_SWEEP_METRICS.find((m) => m.key === 'hull_error_pct')!;
  const yms = opts.ys ?? ENTROPYNET_SWEEP_METRICS.filter((m) => m.key === 'end_to_end_speedup' || m.key === 'algorithm_speedup');
  const sorted = [...children].sort((a, b) => Number(childValue(a, dim)) - Number(childValue(b, dim)));
  const allY: number[] = [];
  const rows = yms.map((ym) =>
    sorted.flatMap((c) => {
      const ex = childMetric(kind, c.summary, xm.key);
      const ey = childMetric(kind, c.summary, ym.key);
      if (!ex || !ey || ex.mean === null || ey.mean === null) return [];
      allY.push(ey.mean, ...(ey.ci95.filter((v): v is number => v !== null && v > 0)));
      return [{ c, ex, ey }];
    }),
  );
  const logY = yms.every((m) => m.speedup) && allY.length > 0 && allY.every((v) => v > 0);
  const series: Array<LineSeriesOption | CustomSeriesOption> = [];
  yms.forEach((ym, i) => {
    const color = PALETTE[i % PALETTE.length];
    series.push({
      type: 'line',
      name: ym.label,
      color,
      data: rows[i].map(({ c, ex, ey }) => ({
        value: [ex.mean as number, ey.mean as number],
        tip: `<b>${dim.label} = ${formatParam(childValue(c, dim))}</b><br/>${xm.label}: ${formatMetric(ex, xm)}${ciText(ex)}<br/>${ym.label}: ${formatMetric(ey, ym)}${ciText(ey)}`,
        label: { formatter: `${dim.label}=${formatParam(childValue(c, dim))}` },
      })),
      symbolSize: 7,
      lineStyle: { width: 1.5 },
      label: { show: true, position: 'right', distance: 9, fontSize: 10, color: TEXT_COLOR },
      labelLayout: { moveOverlap: 'shiftY' },
      emphasis: { disabled: true },
      z: 3,
      markLine: i === 0 && logY ? { ...oneLine, data: [{ yAxis: 1 }] } : undefined,
    });
    series.push(
      whiskerSeries(
        `${ym.label} CI`,
        rows[i].map(({ ex, ey }) => {
          const [xl, xh] = ends(ex, false);
          const [yl, yh] = ends(ey, logY);
          return [ex.mean as number, ey.mean as number, xl, xh, yl, yh];
        }),
        color,
      ),
    );
  });
  return {
    ...baseOption(opts.title ?? `Trade-off as ${dim.label} varies`, 'points labelled with the swept value · whiskers: 95% CI over evaluation seeds'),
    legend: { bottom: 0, data: yms.map((m) => m.label), textStyle: { fontSize: 11 } },
    grid: { left: 62, right: 60, top: 52, bottom: 56 },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: {
      ...axisCommon,
      type: 'value',
      scale: true,
      name: xm.label,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    yAxis: {
      ...axisCommon,
      type: logY ? 'log' : 'value',
      scale: !logY,
      name: yms.length === 1 ? yms[0].label : 'speedup (×)',
      nameLocation: 'middle',
      nameGap: 46,
      nameRotate: 90,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series,
  };
}

/** A metric against one numeric key, with CI whiskers; log x when the values span decades (λ ∈ 0.01 … 1). */
export function sweepLineOption(kind: string, children: readonly SweepChild[], dim: Dimension, metric: SweepMetric, opts: { title?: string } = {}): EChartsOption {
  const pts = children
    .map((c) => ({ c, x: Number(childValue(c, dim)), e: childMetric(kind, c.summary, metric.key) }))
    .filter((p): p is { c: SweepChild; x: number; e: Estimate } => Number.isFinite(p.x) && p.e !== null && p.e.mean !== null)
    .sort((a, b) => a.x - b.x);
  const logX = autoLog(dim.values.map(Number));
  const logY = !!metric.speedup && pts.length > 0 && pts.every((p) => (p.e.mean as number) > 0) && autoLog([...pts.map((p) => p.e.mean as number), 1], 5);
  const series: Array<LineSeriesOption | CustomSeriesOption> = [
    {
      type: 'line',
      name: metric.label,
      data: pts.map((p) => ({ value: [p.x, p.e.mean as number], tip: `${dim.label} = ${formatParam(p.x)}<br/>${metric.label}: ${formatMetric(p.e, metric)}${ciText(p.e)}` })),
      symbolSize: 7,
      lineStyle: { width: 1.5 },
      emphasis: { disabled: true },
      z: 3,
      markLine: metric.speedup ? { ...oneLine, data: [{ yAxis: 1 }] } : undefined,
    },
    whiskerSeries(
      `${metric.label} CI`,
      pts.map((p) => {
        const [lo, hi] = ends(p.e, logY, logY || metric.speedup === true);
        return [p.x, p.e.mean as number, p.x, p.x, lo, hi];
      }),
      PALETTE[0],
    ),
  ];
  return {
    ...baseOption(opts.title ?? `${metric.label} against ${dim.label}`, 'whiskers: 95% CI where the run reports one'),
    grid: { left: 62, right: 24, top: 52, bottom: 40 },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: {
      ...axisCommon,
      type: logX ? 'log' : 'value',
      scale: !logX,
      name: dim.label,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { show: false },
    },
    yAxis: {
      ...axisCommon,
      type: logY ? 'log' : 'value',
      scale: !logY,
      name: metric.label,
      nameLocation: 'middle',
      nameGap: 46,
      nameRotate: 90,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series,
  };
}

// ── Bars (Table 17 ablations, or any list of children) ──

/** One bar per category (or per child when `dim` is null) with a CI whisker; a line at 1× for speedups. */
export function sweepBarsOption(kind: string, children: readonly SweepChild[], dim: Dimension | null, metric: SweepMetric, opts: { title?: string; dims?: readonly Dimension[] } = {}): EChartsOption {
  const items = dim
    ? dim.values.map((v) => {
        const label = formatParam(v);
        const c = children.find((ch) => formatParam(childValue(ch, dim)) === label);
        return { label, c };
      })
    : children.map((c) => ({ label: childLabel(c, opts.dims ?? []), c }));
  const vals = items.map((it) => (it.c ? childMetric(kind, it.c.summary, metric.key) : null));
  // Speedups go on a log axis once their means (and 1×) span more than 5×: 0.05× and 5× are equally far from 1×.
  const means = vals.flatMap((e) => (e?.mean != null ? [e.mean] : []));
  const logY = !!metric.speedup && means.length > 0 && means.every((v) => v > 0) && autoLog([...means, 1], 5);
  const from = metric.speedup && logY ? 1 : 0;
  const renderItem: CustomSeriesRenderItem = (_params, api) => {
    const cat = api.value(0) as number;
    const mean = api.value(1) as number;
    const band = api.size!([1, 1]) as number[];
    const w = Math.max(4, Math.min(band[0] * 0.55, 56));
    const [x, yMean] = api.coord([cat, mean]) as number[];
    const yBase = (api.coord([cat, from]) as number[])[1];
    const yLo = (api.coord([cat, api.value(2)]) as number[])[1];
    const yHi = (api.coord([cat, api.value(3)]) as number[])[1];
    const stroke = { stroke: TEXT_COLOR, lineWidth: 1.2 };
    return {
      type: 'group',
      children: [
        { type: 'rect', shape: { x: x - w / 2, y: Math.min(yBase, yMean), width: w, height: Math.max(1, Math.abs(yBase - yMean)) }, style: { fill: metric.speedup && mean < 1 ? PALETTE[1] : PALETTE[0], opacity: 0.85 } },
        { type: 'line', shape: { x1: x, y1: yLo, x2: x, y2: yHi }, style: stroke },
        { type: 'line', shape: { x1: x - 5, y1: yHi, x2: x + 5, y2: yHi }, style: stroke },
        { type: 'line', shape: { x1: x - 5, y1: yLo, x2: x + 5, y2: yLo }, style: stroke },
      ],
    };
  };
  const data = items.flatMap((it, i) => {
    const e = vals[i];
    if (!e || e.mean === null) return [];
    // A speedup is positive: an interval that reached ≤ 0 as stored is drawn in log space, not cut at 0.
    const [lo, hi] = ends(e, logY, logY || metric.speedup === true);
    return [{ value: [i, e.mean, lo, hi], tip: `<b>${it.label}</b><br/>${metric.label}: ${formatMetric(e, metric)}${ciText(e)}` }];
  });
  const series: CustomSeriesOption = {
    type: 'custom',
    name: metric.label,
    renderItem,
    encode: { x: 0, y: [1, 2, 3] },
    data,
    markLine: metric.speedup ? { ...oneLine, data: [{ yAxis: 1 }] } : undefined,
  };
  const missing = items.filter((_, i) => !vals[i]).length;
  return {
    ...baseOption(opts.title ?? `${metric.label} by ${dim?.label ?? 'child run'}`, `whiskers: 95% CI where the run reports one${missing ? ` · ${missing} without a value yet` : ''}${metric.speedup ? ' · red: slower than raw' : ''}`),
    grid: { left: 62, right: 24, top: 52, bottom: 56 },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: {
      ...axisCommon,
      type: 'category',
      data: items.map((it) => it.label),
      name: dim?.label,
      nameLocation: 'middle',
      nameGap: 40,
      axisLabel: { color: TEXT_COLOR, fontSize: 11, interval: 0, width: 110, overflow: 'break' },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      ...axisCommon,
      type: logY ? 'log' : 'value',
      name: metric.label,
      nameLocation: 'middle',
      nameGap: 46,
      nameRotate: 90,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series: [series],
  };
}
