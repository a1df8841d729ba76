/**
 * Figures of a `geometry-timing` run (paper Table 2, App. G.12–G.14): mean time per method with 95% CI
 * whiskers, time against n on log–log axes, the distribution of every timed sample, and the point set with its
 * hull. Pure (no DOM, no Node): the renderer mounts these options in EChart.svelte, the CLI renders them
 * headless, the tests call them directly.
 *
 * The run's summary (`summary.cases`) and its preview artifact are JSON from the store; `geometryCases` and
 * `parsePointPreview` read them defensively, so a run of an older shape shows what it has instead of throwing.
 */
import type {
  BoxplotSeriesOption,
  CustomSeriesOption,
  CustomSeriesRenderItem,
  EChartsOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts';
import type { GeometryCaseResult, PointPreviewResult } from '../../src-worker/shared/results/geometry-timing';
import { linearFit } from '../../src-worker/shared/stats';
import { escapedTooltip } from './escape-html';
import type { TimingSample } from '../api/contract';
import { compactCount } from './break-even';
import { formatNumber } from './metric-line';
import { positiveInterval, rebuiltNote } from './positive-ci';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR, baseOption, axisCommon } from './theme';

/** A row of `summary.cases` and the preview artifact: the worker's own result types. */
export type GeometryCase = GeometryCaseResult;
export type PointPreview = PointPreviewResult;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : []);
const interval = (v: unknown): [number | null, number | null] => (Array.isArray(v) ? [num(v[0]), num(v[1])] : [null, null]);

/** The method summaries of a geometry-timing run; [] when the summary has none. */
export function geometryCases(summary: Record<string, unknown> | null | undefined): GeometryCase[] {
  const raw = summary?.cases;
  if (!Array.isArray(raw)) return [];
  const out: GeometryCase[] = [];
  for (const item of raw) {
    if (item === null || typeof item !== 'object') continue;
    const c = item as Record<string, unknown>;
    const n = num(c.n);
    if (n === null) continue;
    const algorithm = str(c.algorithm, '?');
    const preprocess = str(c.preprocess, 'raw');
    out.push({
      task: str(c.task, 'hull'),
      dataset: str(c.dataset, '?'),
      n,
      algorithm,
      preprocess,
      method: str(c.method, `${preprocess}+${algorithm}`),
      seeds: numbers(c.seeds),
      samples: num(c.samples) ?? 0,
      truncatedCases: num(c.truncatedCases) ?? 0,
      perSeedMeanMs: numbers(c.perSeedMeanMs),
      meanMs: num(c.meanMs),
      ci95Ms: interval(c.ci95Ms),
      medianMs: num(c.medianMs),
      sdMs: num(c.sdMs),
      speedup: num(c.speedup),
      speedupCi95: interval(c.speedupCi95),
      tVsRaw: num(c.tVsRaw),
      pValueVsRaw: num(c.pValueVsRaw),
      hullErrorPct: num(c.hullErrorPct),
      hausdorff: num(c.hausdorff),
      hausdorffPoints: num(c.hausdorffPoints),
      h: num(c.h),
      precision: num(c.precision),
      recall: num(c.recall),
      points: num(c.points),
      algorithmOnlyMs: num(c.algorithmOnlyMs),
      algorithmSpeedup: num(c.algorithmSpeedup),
      algorithmSpeedupCi95: interval(c.algorithmSpeedupCi95),
    });
  }
  return out;
}

/** The preview artifact's JSON, or null when it is not one. */
export function parsePointPreview(json: unknown): PointPreview | null {
  if (json === null || typeof json !== 'object') return null;
  const p = json as Record<string, unknown>;
  if (!Array.isArray(p.points) || !Array.isArray(p.hull)) return null;
  const points = numbers(p.points);
  const hull = numbers(p.hull);
  return {
    dataset: str(p.dataset, '?'),
    n: num(p.n) ?? points.length / 2,
    seed: num(p.seed) ?? 0,
    count: num(p.count) ?? points.length / 2,
    stride: num(p.stride) ?? 1,
    points: points.length % 2 === 0 ? points : points.slice(0, -1),
    hull: hull.length % 2 === 0 ? hull : hull.slice(0, -1),
    hullIndices: numbers(p.hullIndices),
  };
}

/** Distinct values in order of first appearance. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** The least-squares slope of log(ms) against log(n): the empirical exponent of the running time. */
export function logLogSlope(points: ReadonlyArray<readonly [number, number]>): number | null {
  const positive = points.filter(([n, ms]) => n > 0 && ms > 0);
  return linearFit(positive.map(([n]) => Math.log(n)), positive.map(([, ms]) => Math.log(ms))).slope;
}

/** Quantile of sorted values, linear between order statistics (R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface BoxStats {
  /** Tukey whiskers: the most extreme samples within 1.5 IQR of the quartiles. */
  low: number;
  q1: number;
  median: number;
  q3: number;
  high: number;
  outliers: number[];
  count: number;
}

export function boxStats(values: readonly number[]): BoxStats | null {
  const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  if (sorted.length === 0) return null;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  let low = sorted[sorted.length - 1];
  let high = sorted[0];
  const outliers: number[] = [];
  for (const v of sorted) {
    if (v < q1 - fence || v > q3 + fence) outliers.push(v);
    else {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  return { low, q1, median: quantileSorted(sorted, 0.5), q3, high, outliers, count: sorted.length };
}

const fmtMs = (v: number | null): string => (v === null ? '–' : `${formatNumber(v)} ms`);
const fmtCi = (ci: [number | null, number | null], unit = ''): string =>
  ci[0] === null || ci[1] === null ? '' : ` [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]${unit}`;



/** A y axis named along its side, clear of the title block. */
const yName = (name: string) => ({ name, nameLocation: 'middle' as const, nameGap: 44, nameRotate: 90 });

/** Bottom margin for a plain legend of `count` entries below the plot, about `perRow` to a row. */
export function legendBottom(count: number, perRow = 3): number {
  return count <= 1 ? 36 : 44 + 20 * Math.ceil(count / perRow);
}

/** `raw+chan` → two label lines, the algorithm over the preprocessor, so category labels never collide. */
const methodLabel = (m: string): string => {
  const i = m.indexOf('+');
  return i < 0 ? m : `${m.slice(i + 1)}\n${m.slice(0, i)}`;
};

/** Categories in the order a reader expects: raw first, then the rest as they appear. */
function rawFirst(values: string[]): string[] {
  return [...values.filter((v) => v === 'raw'), ...values.filter((v) => v !== 'raw')];
}

/**
 * Mean time per method with its 95% CI: algorithms on x, one bar per preprocessor, whiskers drawn by a custom
 * series (ECharts has no error bars). Meant for the cases of one dataset and one n.
 *
 *        ┬  ← CI upper          the whisker's lower end is drawn at 0 when the t-interval reaches below it
 *      ┌─┼─┐                    (few seeds, a slow first seed): a time is never negative, but the tooltip
 *      │ │ │ ← mean             gives the interval as computed
 *      │ ┴ │
 */
export function methodTimeOption(cases: readonly GeometryCase[], opts: { title?: string } = {}): EChartsOption {
  let rebuilt = 0;
  const algorithms = distinct(cases.map((c) => c.algorithm));
  const preprocessors = rawFirst(distinct(cases.map((c) => c.preprocess)));
  const groups = preprocessors.length;
  const series: CustomSeriesOption[] = preprocessors.map((pre, g) => {
    const renderItem: CustomSeriesRenderItem = (_params, api) => {
      const cat = api.value(0) as number;
      const mean = api.value(1) as number;
      const lo = api.value(2) as number;
      const hi = api.value(3) as number;
      const band = api.size!([1, 0]) as number[];
      const groupWidth = band[0] * 0.76;
      const slot = groupWidth / groups;
      const barWidth = Math.max(2, Math.min(slot * 0.82, 56));
      const center = api.coord([cat, 0]);
      const x = center[0] - groupWidth / 2 + (g + 0.5) * slot;
      const yBase = center[1];
      const yMean = api.coord([cat, mean])[1];
      const yLo = api.coord([cat, lo])[1];
      const yHi = api.coord([cat, hi])[1];
      const cap = Math.min(barWidth * 0.45, 8);
      const color = api.visual('color') as string;
      const stroke = { stroke: TEXT_COLOR, lineWidth: 1.2 };
      return {
        type: 'group',
        children: [
          { type: 'rect', shape: { x: x - barWidth / 2, y: yMean, width: barWidth, height: yBase - yMean }, style: { fill: color, opacity: 0.85 } },
          { type: 'line', shape: { x1: x, y1: yLo, x2: x, y2: yHi }, style: stroke },
          { type: 'line', shape: { x1: x - cap, y1: yHi, x2: x + cap, y2: yHi }, style: stroke },
          { type: 'line', shape: { x1: x - cap, y1: yLo, x2: x + cap, y2: yLo }, style: stroke },
        ],
      };
    };
    const data = cases
      .filter((c) => c.preprocess === pre && c.meanMs !== null)
      .map((c) => {
        const iv = positiveInterval(c.meanMs, c.ci95Ms, c.perSeedMeanMs);
        if (iv.source === 'log-space') rebuilt++;
        const lo = iv.ci?.[0] ?? c.meanMs!;
        const hi = iv.ci?.[1] ?? c.meanMs!;
        return {
          value: [algorithms.indexOf(c.algorithm), c.meanMs!, lo, hi],
          tip: `<b>${c.method}</b><br/>mean ${fmtMs(c.meanMs)}${fmtCi(c.ci95Ms, ' ms')}<br/>median ${fmtMs(c.medianMs)}` +
            (c.preprocess === 'raw' ? '' : `<br/>speedup ×${c.speedup === null ? '–' : formatNumber(c.speedup)}${fmtCi(c.speedupCi95)}`) +
            `<br/>${c.seeds.length} seeds, ${c.samples} samples`,
        };
      });
    return {
      type: 'custom',
      name: pre,
      renderItem,
      encode: { x: 0, y: [1, 2, 3] },
      data,
      z: 2,
    };
  });
  return {
    ...baseOption(opts.title ?? 'Mean time per method', `bars: mean across seeds · whiskers: 95% CI${rebuiltNote(rebuilt)}`),
    legend: groups > 1 ? { bottom: 0, textStyle: { fontSize: 11 } } : undefined,
    grid: { left: 64, right: 20, top: 52, bottom: groups > 1 ? 56 : 32 },
    tooltip: {
      trigger: 'item',
      formatter: escapedTooltip((p) => {
        const item = (Array.isArray(p) ? p[0] : p)?.data as { tip?: string } | undefined;
        return item?.tip ?? '';
      }),
    },
    xAxis: {
      ...axisCommon,
      type: 'category',
      data: algorithms,
      axisLabel: { color: TEXT_COLOR, fontSize: 11 },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      ...axisCommon,
      type: 'value',
      ...yName('ms'),
      min: 0,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series,
  };
}

/**
 * Mean time against n on log–log axes, one line per method; the legend gives each line's least-squares slope
 * (≈ 1 for n log n at these sizes, > 1 when something is quadratic). Meant for the cases of one dataset.
 */
export function timeVsNOption(cases: readonly GeometryCase[], opts: { title?: string } = {}): EChartsOption {
  const methods = distinct(cases.map((c) => c.method));
  const lines: LineSeriesOption[] = methods.map((m) => {
    const ofMethod = cases.filter((c) => c.method === m && c.meanMs !== null && c.meanMs > 0).sort((a, b) => a.n - b.n);
    const pairs = ofMethod.map((c) => [c.n, c.meanMs!] as const);
    const slope = logLogSlope(pairs);
    return {
      type: 'line',
      name: slope === null ? m : `${m} (slope ${slope.toFixed(2)})`,
      data: ofMethod.map((c) => ({ value: [c.n, c.meanMs!], ci: c.ci95Ms })),
      showSymbol: true,
      symbolSize: 6,
      lineStyle: { width: 1.5 },
      emphasis: { focus: 'series' },
    };
  });
  return {
    ...baseOption(opts.title ?? 'Time against n', 'log–log · mean across seeds'),
    legend: { bottom: 0, textStyle: { fontSize: 11 }, itemGap: 12, itemWidth: 18 },
    grid: { left: 64, right: 24, top: 52, bottom: legendBottom(methods.length, 2) },
    tooltip: {
      trigger: 'item',
      formatter: escapedTooltip((p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const d = one?.data as { value: [number, number]; ci: [number | null, number | null] } | undefined;
        if (!d) return '';
        return `<b>${one.seriesName}</b><br/>n = ${d.value[0].toLocaleString('en-US')}<br/>mean ${fmtMs(d.value[1])}${fmtCi(d.ci, ' ms')}`;
      }),
    },
    xAxis: {
      ...axisCommon,
      type: 'log',
      name: 'n (points)',
      nameLocation: 'middle',
      nameGap: 24,
      // Just around the data: a log axis otherwise pads to whole decades (100 … 10⁴ for n ∈ {1000, 10000}).
      min: (e: { min: number }) => e.min / 1.25,
      max: (e: { max: number }) => e.max * 1.25,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: compactCount, showMinLabel: false, showMaxLabel: false },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    yAxis: {
      ...axisCommon,
      type: 'log',
      ...yName('ms'),
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series: lines,
  };
}

/** Outliers drawn per method at most; the rest are counted in the tooltip. */
const MAX_OUTLIERS_PER_BOX = 300;

/**
 * Every timed sample per method as a box plot (quartiles, Tukey whiskers, outliers as dots): shows what the
 * mean hides — warm-up spikes, bimodal timings, a slow seed. Meant for the samples of one dataset and one n.
 */
export function sampleBoxOption(
  samples: readonly TimingSample[],
  opts: { title?: string; logY?: boolean; algorithms?: readonly string[] } = {},
): EChartsOption {
  const logY = opts.logY ?? true;
  // As the bar chart groups them: by algorithm (the given order, else first seen), raw first within each.
  const algorithms = distinct([...(opts.algorithms ?? []), ...samples.map((s) => s.algorithm)]);
  const preprocessors = rawFirst(distinct(samples.map((s) => s.preprocess)));
  const present = new Set(samples.map((s) => `${s.preprocess}+${s.algorithm}`));
  const methods = algorithms.flatMap((a) => preprocessors.map((p) => `${p}+${a}`)).filter((m) => present.has(m));
  const byMethod = new Map<string, number[]>(methods.map((m) => [m, []]));
  for (const s of samples) if (!logY || s.ms > 0) byMethod.get(`${s.preprocess}+${s.algorithm}`)!.push(s.ms);
  const stats = methods.map((m) => boxStats(byMethod.get(m)!));
  const boxes: BoxplotSeriesOption = {
    type: 'boxplot',
    name: 'samples',
    data: stats.map((b) => (b ? [b.low, b.q1, b.median, b.q3, b.high] : [])),
    itemStyle: { color: '#dbe6fb', borderColor: PALETTE[0] },
    boxWidth: [8, 40],
    tooltip: {
      formatter: escapedTooltip((p) => {
        const one = Array.isArray(p) ? p[0] : p;
        const b = stats[one.dataIndex];
        if (!b) return '';
        return `<b>${methods[one.dataIndex]}</b><br/>${b.count} samples<br/>median ${fmtMs(b.median)}<br/>IQR ${formatNumber(b.q1)}–${formatNumber(b.q3)} ms` +
          `<br/>whiskers ${formatNumber(b.low)}–${formatNumber(b.high)} ms<br/>${b.outliers.length} outliers`;
      }),
    },
  };
  const outlierData: Array<[number, number]> = [];
  stats.forEach((b, i) => {
    if (!b) return;
    const step = Math.max(1, Math.ceil(b.outliers.length / MAX_OUTLIERS_PER_BOX));
    for (let k = 0; k < b.outliers.length; k += step) outlierData.push([i, b.outliers[k]]);
  });
  const outliers: ScatterSeriesOption = {
    type: 'scatter',
    name: 'outliers',
    data: outlierData,
    symbolSize: 4,
    itemStyle: { color: PALETTE[1], opacity: 0.6 },
    tooltip: { formatter: escapedTooltip((p) => `${methods[((Array.isArray(p) ? p[0] : p).value as number[])[0]]}: ${fmtMs(((Array.isArray(p) ? p[0] : p).value as number[])[1])}`) },
  };
  return {
    ...baseOption(opts.title ?? 'Every sample', `${samples.length.toLocaleString('en-US')} samples · box: quartiles · whiskers: 1.5 IQR`),
    grid: { left: 64, right: 20, top: 52, bottom: 44 },
    tooltip: { trigger: 'item' },
    xAxis: { ...axisCommon, type: 'category', data: methods, axisLabel: { color: TEXT_COLOR, fontSize: 11, interval: 0, formatter: methodLabel, lineHeight: 14 } },
    yAxis: {
      ...axisCommon,
      type: logY ? 'log' : 'value',
      ...yName('ms'),
      scale: !logY,
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series: [boxes, outliers],
  };
}

/**
 * The point set with its hull drawn over it. The plot area is a square of `plotSize` px and both axes span the
 * same range, so the picture is not stretched; a chart host of `plotSize + 70` px height fits it.
 */
export function pointPreviewOption(preview: PointPreview, opts: { title?: string; plotSize?: number } = {}): EChartsOption {
  const size = opts.plotSize ?? 340;
  const m = preview.points.length / 2;
  const data: Array<[number, number]> = new Array(m);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < m; i++) {
    const x = preview.points[2 * i];
    const y = preview.points[2 * i + 1];
    data[i] = [x, y];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const hull: Array<[number, number]> = [];
  for (let i = 0; i + 1 < preview.hull.length; i += 2) hull.push([preview.hull[i], preview.hull[i + 1]]);
  for (const [x, y] of hull) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) [minX, maxX, minY, maxY] = [0, 1, 0, 1];
  const span = Math.max(maxX - minX, maxY - minY, 1e-12) * 1.04;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const shown = m < preview.count ? `${m.toLocaleString('en-US')} of ${preview.count.toLocaleString('en-US')} points (every ${preview.stride}th)` : `${m.toLocaleString('en-US')} points`;
  const axis = (center: number) => ({
    ...axisCommon,
    type: 'value' as const,
    min: center - span / 2,
    max: center + span / 2,
    axisLabel: { color: MUTED_COLOR, fontSize: 10, formatter: (v: number) => formatNumber(v), hideOverlap: true, showMinLabel: false, showMaxLabel: false },
    splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
  });
  return {
    ...baseOption(opts.title ?? `${preview.dataset}, n = ${preview.n.toLocaleString('en-US')}, seed ${preview.seed}`, `${shown} · hull: ${hull.length} vertices`),
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    grid: { width: size, height: size, left: 'center', top: 48 },
    tooltip: { trigger: 'item', formatter: escapedTooltip((p) => {
      const one = Array.isArray(p) ? p[0] : p;
      const v = one.value as [number, number];
      return `${one.seriesName}<br/>(${formatNumber(v[0])}, ${formatNumber(v[1])})`;
    }) },
    xAxis: axis(cx),
    yAxis: axis(cy),
    series: [
      {
        type: 'scatter',
        name: 'points',
        data,
        symbolSize: m > 5000 ? 2 : 3,
        large: m > 2000,
        largeThreshold: 2000,
        itemStyle: { color: '#94a3b8', opacity: 0.75 },
        emphasis: { disabled: true },
      },
      {
        type: 'line',
        name: 'hull',
        data: hull.length ? [...hull, hull[0]] : [],
        showSymbol: true,
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { color: PALETTE[1], width: 1.5 },
        itemStyle: { color: PALETTE[1] },
        z: 3,
      },
    ],
  };
}
