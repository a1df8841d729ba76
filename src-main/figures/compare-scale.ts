/**
 * Compare at scale: runs grouped by their config except the seed into mean ± 95% CI bands, a scatter of a
 * summary value against a config key, and parallel coordinates of config and summary values. Pure (no DOM,
 * no Node).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { MetricSeries } from '../api/contract';
import { tCritical95 } from '../../src-worker/shared/stats';
import { canonicalJson, flattenObject, LEGEND_WITH_HOVER } from './compare';
import { formatNumber } from './metric-line';
import { FONT_FAMILY, MUTED_COLOR, PALETTE, TEXT_COLOR } from './theme';

export const SEED_KEYS = ['seed', 'seeds'] as const;

export interface RunGroup<R> {
  /** The config values that tell this group from the others ("lambda=0.05"), or "all runs". */
  label: string;
  runs: R[];
}

/**
 * Runs whose configs are equal once the `ignore` keys (the seed, by default) are dropped form one group. The
 * label names only the keys that differ between groups, so "lambda=0.05" rather than the whole config.
 */
export function groupRuns<R extends { config: Record<string, unknown> }>(runs: readonly R[], ignore: readonly string[] = SEED_KEYS): Array<RunGroup<R>> {
  const skip = (k: string): boolean => ignore.some((i) => k === i || k.startsWith(`${i}.`));
  const flat = runs.map((r) => new Map(flattenObject(r.config).filter(([k]) => !skip(k))));
  const byKey = new Map<string, { runs: R[]; flat: Map<string, unknown> }>();
  runs.forEach((r, i) => {
    const key = canonicalJson(Object.fromEntries([...flat[i]].sort(([a], [b]) => a.localeCompare(b))));
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { runs: [], flat: flat[i] }));
    g.runs.push(r);
  });
  const groups = [...byKey.values()];
  const allKeys = [...new Set(groups.flatMap((g) => [...g.flat.keys()]))];
  const differing = allKeys.filter((k) => groups.some((g) => canonicalJson(g.flat.get(k)) !== canonicalJson(groups[0].flat.get(k))));
  return groups.map((g) => ({
    label: differing.length === 0 ? 'all runs' : differing.map((k) => `${k}=${g.flat.has(k) ? shortValue(g.flat.get(k)) : '–'}`).join(', '),
    runs: g.runs,
  }));
}

function shortValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

export interface BandPoint {
  step: number;
  mean: number;
  /** The 95% Student-t interval of the mean over the runs that logged this step; null with fewer than two. */
  lo: number | null;
  hi: number | null;
  n: number;
}

/** Mean and 95% CI across runs at each step any of them logged (runs that lack a step do not count there). */
export function meanBand(series: readonly MetricSeries[]): BandPoint[] {
  const byStep = new Map<number, number[]>();
  for (const s of series) {
    for (const p of s.points) {
      if (p.value === null || !Number.isFinite(p.value)) continue;
      let list = byStep.get(p.step);
      if (!list) byStep.set(p.step, (list = []));
      list.push(p.value);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, xs]) => {
      const n = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      if (n < 2) return { step, mean, lo: null, hi: null, n };
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      const h = (tCritical95(n - 1) * sd) / Math.sqrt(n);
      return { step, mean, lo: mean - h, hi: mean + h, n };
    });
}

const base = (title: string): EChartsOption => ({
  animation: false,
  color: [...PALETTE],
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOR },
  title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: TEXT_COLOR } },
});

/** One metric per group of runs: the mean line and a shaded 95% CI band (a band needs two runs at a step). */
export function seedBandOption(groups: ReadonlyArray<{ label: string; series: MetricSeries[] }>, opts: { key: string; logY?: boolean }): EChartsOption {
  const series: LineSeriesOption[] = [];
  groups.forEach((g, i) => {
    const color = PALETTE[i % PALETTE.length];
    const band = meanBand(g.series);
    const stack = `band-${i}`;
    series.push(
      {
        type: 'line',
        name: `${g.label} (n=${g.series.length})`,
        data: band.map((b) => [b.step, b.mean]),
        showSymbol: band.length <= 1,
        lineStyle: { width: 1.8, color },
        itemStyle: { color },
        emphasis: { disabled: true },
      },
      // The band as two stacked lines: the lower bound (invisible), then the width shaded on top of it.
      {
        type: 'line',
        name: `${g.label} (n=${g.series.length})`,
        data: band.map((b) => [b.step, b.lo]),
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        silent: true,
      },
      {
        type: 'line',
        name: `${g.label} (n=${g.series.length})`,
        data: band.map((b) => [b.step, b.lo === null || b.hi === null ? null : b.hi - b.lo]),
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
        tooltip: { show: false },
        silent: true,
      },
    );
  });
  return {
    ...base(`${opts.key}: mean ± 95% CI over seeds`),
    legend: { ...LEGEND_WITH_HOVER, data: groups.map((g) => `${g.label} (n=${g.series.length})`) },
    grid: { left: 56, right: 20, top: 40, bottom: 56 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : String(v ?? '–')) },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 22, min: 'dataMin', max: 'dataMax', axisLabel: { color: MUTED_COLOR, fontSize: 11 } },
    yAxis: { type: opts.logY ? 'log' : 'value', name: opts.key, scale: true, axisLabel: { color: MUTED_COLOR, fontSize: 11 } },
    series,
  };
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

/** Numbers of `obj` at a dotted path, or null. */
export function numberAt(obj: Record<string, unknown> | null | undefined, path: string): number | null {
  let v: unknown = obj;
  for (const p of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : null;
}

/** One summary value against one config key, a point per run (runs without both numbers are left out). */
export function scatterOption(points: readonly ScatterPoint[], opts: { xName: string; yName: string; logX?: boolean; logY?: boolean }): EChartsOption {
  return {
    ...base(`${opts.yName} against ${opts.xName}`),
    grid: { left: 64, right: 24, top: 40, bottom: 44 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const d = (p as unknown as { data: { value: [number, number]; name: string } }).data;
        return `${escapeText(d.name)}<br/>${escapeText(opts.xName)} = ${formatNumber(d.value[0])}<br/>${escapeText(opts.yName)} = ${formatNumber(d.value[1])}`;
      },
    },
    xAxis: { type: opts.logX ? 'log' : 'value', name: opts.xName, nameLocation: 'middle', nameGap: 26, scale: true, axisLabel: { color: MUTED_COLOR, fontSize: 11 } },
    yAxis: { type: opts.logY ? 'log' : 'value', name: opts.yName, scale: true, axisLabel: { color: MUTED_COLOR, fontSize: 11 } },
    series: [{ type: 'scatter', symbolSize: 8, data: points.map((p) => ({ name: p.label, value: [p.x, p.y] })) }],
  };
}

/** Run names and keys come from users and imported files: never let them be read as HTML in a tooltip. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Parallel coordinates: an axis per numeric config/summary key, a line per run. */
export function parallelOption(runs: ReadonlyArray<{ label: string; values: Array<number | null> }>, axes: readonly string[]): EChartsOption {
  return {
    ...base('Config and summary, one line per run'),
    parallelAxis: axes.map((name, dim) => ({ dim, name, nameTextStyle: { fontSize: 10, color: MUTED_COLOR }, scale: true, axisLabel: { fontSize: 10, color: MUTED_COLOR } })),
    parallel: { left: 48, right: 64, top: 56, bottom: 48 },
    tooltip: { trigger: 'item', formatter: (p) => escapeText(String((p as { name?: string }).name ?? '')) },
    series: [
      {
        type: 'parallel',
        lineStyle: { width: 1.5, opacity: 0.7 },
        data: runs.map((r) => ({ name: r.label, value: r.values.map((v) => (v === null ? '-' : v)) })),
      },
    ],
  };
}

/** The numeric keys of config and summary (as "config.x", "summary.y") that vary across the runs. */
export function numericVaryingKeys(runs: ReadonlyArray<{ config: Record<string, unknown>; summary: Record<string, unknown> | null }>): { config: string[]; summary: string[] } {
  const collect = (pick: (r: (typeof runs)[number]) => Record<string, unknown> | null): string[] => {
    const values = new Map<string, Set<number>>();
    for (const r of runs) {
      for (const [k, v] of flattenObject(pick(r))) {
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        let s = values.get(k);
        if (!s) values.set(k, (s = new Set()));
        s.add(v);
      }
    }
    return [...values].filter(([, s]) => s.size > 1).map(([k]) => k);
  };
  return { config: collect((r) => r.config), summary: collect((r) => r.summary) };
}
