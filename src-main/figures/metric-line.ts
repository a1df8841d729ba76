/**
 * A metric against its step: one line per series, step on a value x axis. Pure (no DOM, no Node), so the
 * renderer mounts it in EChart.svelte and the CLI renders the same option headless with ECharts SSR.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { MetricSeries } from '../api/contract';
import { emaSmooth } from './metric-analysis';
import { FONT_FAMILY, GRID_LINE_COLOR, MUTED_COLOR, PALETTE, TEXT_COLOR } from './theme';

export interface MetricLineOptions {
  title: string;
  /** A log-scale y axis; values ≤ 0 (which a log axis cannot place) are drawn as gaps. */
  logY?: boolean;
  /** Name of each line in the legend and tooltip; defaults to the series key. */
  names?: string[];
  xName?: string;
  /** Name of the y axis; defaults to the key when one series is drawn, else "value". */
  yName?: string;
  /** Debiased EMA weight in [0, 1): the smoothed line is drawn over the raw series, which stays as a faint shadow. */
  smoothing?: number;
  /** Fixed x range (a zoom); the data outside it is not drawn. */
  xRange?: [number, number] | null;
  /** Connect charts with the same group: a shared cursor (the page calls echarts.connect). */
  group?: string;
  /** What x is: the step, the wall time of each row, or seconds since the series' first row (needs wallTime). */
  x?: XMode;
}

export type XMode = 'step' | 'wall' | 'relative';

/** The x of each point in a mode; points without a wall time fall back to their step. */
export function xValues(series: MetricSeries, mode: XMode, origin?: number): number[] {
  if (mode === 'step') return series.points.map((p) => p.step);
  const t0 = origin ?? series.points.find((p) => p.wallTime !== undefined)?.wallTime ?? 0;
  return series.points.map((p) => (p.wallTime === undefined ? p.step : mode === 'wall' ? p.wallTime : (p.wallTime - t0) / 1000));
}

type Pair = [number, number | null];

/** The [step, value] pairs ECharts draws; a null value breaks the line. */
export function metricPairs(series: MetricSeries, logY = false): Pair[] {
  const out: Pair[] = new Array(series.points.length);
  for (let i = 0; i < series.points.length; i++) {
    const p = series.points[i];
    const v = p.value;
    out[i] = [p.step, v === null || !Number.isFinite(v) || (logY && v <= 0) ? null : v];
  }
  return out;
}

/** Vertical bands of a metric chart's header, in px from the top of the chart. */
export interface MetricLineLayout {
  legendTop: number;
  gridTop: number;
}

const TITLE_LINE = 22;
const NOTE_LINE = 13;
const LEGEND_LINE = 20;
/** The y-axis name sits above the plot: ECharts' default name gap (15) and an 11 px line. */
const Y_NAME_BAND = 30;
/** Width a legend is assumed to wrap at: the narrowest chart card less the legend's side margins. */
const LEGEND_WRAP_PX = 380;

/**
 * The header stacked in bands that cannot overlap: title, one line per note, the legend (on its own rows, wrapped at the card's width), then the y-axis name above the plot.
 */
export function metricLineLayout(noteLines: number, legendNames: string[]): MetricLineLayout {
  const legendTop = 4 + TITLE_LINE + noteLines * NOTE_LINE + (noteLines ? 2 : 0);
  let rows = 0;
  if (legendNames.length) {
    let x = 0;
    rows = 1;
    for (const name of legendNames) {
      // icon 25 + gap 5 + text at ~6.5 px per character at 11 px + item gap 10
      const w = 40 + Math.ceil(name.length * 6.5);
      if (x > 0 && x + w > LEGEND_WRAP_PX) {
        rows++;
        x = 0;
      }
      x += w;
    }
  }
  return { legendTop, gridTop: legendTop + rows * LEGEND_LINE + Y_NAME_BAND };
}

export function metricLineOption(series: MetricSeries[], opts: MetricLineOptions): EChartsOption {
  const logY = opts.logY ?? false;
  const downsampled = series.some((s) => s.downsampled);
  const smoothing = opts.smoothing ?? 0;
  const xMode = opts.x ?? 'step';
  const origin = Math.min(...series.flatMap((s) => (s.points.length && s.points[0].wallTime !== undefined ? [s.points[0].wallTime] : [])));
  const lines: LineSeriesOption[] = series.flatMap((s, i): LineSeriesOption[] => {
    const name = opts.names?.[i] ?? s.key;
    const xs = xMode === 'step' ? null : xValues(s, xMode, Number.isFinite(origin) ? origin : undefined);
    const pairs = xs ? metricPairs(s, logY).map((p, j) => [xs[j], p[1]] as Pair) : metricPairs(s, logY);
    const single = s.points.length === 1;
    const main: LineSeriesOption = {
      type: 'line',
      name,
      data: pairs,
      showSymbol: single,
      symbolSize: single ? 8 : 5,
      // A series of one value is a point with its value, not a line.
      label: single ? { show: true, position: 'top', formatter: (p) => formatNumber((p.value as Pair)[1] ?? NaN), fontSize: 11 } : undefined,
      lineStyle: { width: 1.5 },
      connectNulls: false,
      emphasis: { disabled: true },
    };
    if (!(smoothing > 0) || single) return [main];
    const smoothed = emaSmooth(pairs.map((p) => p[1]), smoothing);
    const color = PALETTE[i % PALETTE.length];
    return [
      { ...main, data: pairs, color, lineStyle: { width: 1, opacity: 0.25 }, silent: true, z: 1, tooltip: { show: false } },
      { ...main, color, data: pairs.map((p, j) => [p[0], smoothed[j]] as Pair), z: 2 },
    ];
  });
  const values = series.flatMap((s) => s.points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v)));
  const onlyValue = values.length > 0 && values.every((v) => v === values[0]) ? values[0] : null;
  const notes = [downsampled ? 'downsampled (min/max per bucket)' : '', smoothing > 0 ? `smoothed: debiased EMA ${smoothing} (raw series faint)` : ''].filter(Boolean);
  const layout = metricLineLayout(notes.length, series.length > 1 ? series.map((s, i) => opts.names?.[i] ?? s.key) : []);
  return {
    animation: false,
    color: [...PALETTE],
    backgroundColor: 'transparent',
    textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOR },
    title: {
      text: opts.title,
      subtext: notes.join('\n') || undefined,
      left: 8,
      top: 4,
      textStyle: { fontSize: 13, fontWeight: 600, color: TEXT_COLOR },
      subtextStyle: { fontSize: 10, lineHeight: NOTE_LINE, color: MUTED_COLOR },
    },
    legend: series.length > 1 ? { top: layout.legendTop, left: 8, right: 20, textStyle: { fontSize: 11 } } : undefined,
    grid: { left: 56, right: 20, top: layout.gridTop, bottom: 36, containLabel: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line', snap: true },
      valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : String(v ?? '–')),
    },
    xAxis: {
      type: xMode === 'wall' ? 'time' : 'value',
      name: opts.xName ?? (xMode === 'wall' ? 'wall time' : xMode === 'relative' ? 'time since the first row (s)' : 'step'),
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: MUTED_COLOR, fontSize: 11 },
      min: opts.xRange ? opts.xRange[0] : 'dataMin',
      max: opts.xRange ? opts.xRange[1] : 'dataMax',
      axisLabel: { color: MUTED_COLOR, fontSize: 11, hideOverlap: true },
      splitLine: { show: false },
      axisLine: { lineStyle: { color: MUTED_COLOR } },
    },
    yAxis: {
      type: logY ? 'log' : 'value',
      name: opts.yName ?? (series.length === 1 ? series[0].key : 'value'),
      nameTextStyle: { color: MUTED_COLOR, fontSize: 11, align: 'left' },
      scale: !logY,
      // One distinct value: an axis around it, not ECharts' 0–1 default.
      ...(onlyValue !== null && !logY ? { min: onlyValue - (Math.abs(onlyValue) * 0.1 || 1), max: onlyValue + (Math.abs(onlyValue) * 0.1 || 1) } : {}),
      axisLabel: { color: MUTED_COLOR, fontSize: 11, formatter: (v: number) => formatNumber(v) },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
    },
    series: lines,
  };
}

/** Number of data items an option draws, over all its series (what a test compares with the store). */
export function countDataPoints(option: EChartsOption): number {
  const series = option.series === undefined ? [] : Array.isArray(option.series) ? option.series : [option.series];
  let n = 0;
  for (const s of series) {
    const data = (s as { data?: unknown }).data;
    if (Array.isArray(data)) n += data.length;
  }
  return n;
}

/** Short, stable tick and tooltip labels: 4 significant digits, exponent form outside [1e-4, 1e5). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}
