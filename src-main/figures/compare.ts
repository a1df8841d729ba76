/**
 * Several runs side by side: their configs and summaries as aligned rows (with the rows that differ marked),
 * and one overlaid chart per metric key they share, one line per run. Pure (no DOM, no Node).
 */
import type { EChartsOption } from 'echarts';
import type { MetricSeries } from '../api/contract';
import { metricLineOption } from './metric-line';

export interface SideBySideRow {
  key: string;
  /** One value per object; `undefined` where that object has no such key. */
  values: unknown[];
  /** True when the values are not all equal (a missing key differs from any value). */
  differs: boolean;
}

/** Nested objects become dotted keys; arrays and empty objects stay one value. */
export function flattenObject(obj: Record<string, unknown> | null | undefined, prefix = ''): Array<[string, unknown]> {
  if (!obj) return [];
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) out.push(...flattenObject(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}

/** A canonical text of a JSON value (object keys sorted), so that equal values compare equal. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return '\u0000undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The union of the objects' (flattened) keys, in first-seen order, each with every object's value. */
export function sideBySide(objects: ReadonlyArray<Record<string, unknown> | null | undefined>, opts: { skip?: (key: string) => boolean } = {}): SideBySideRow[] {
  const maps = objects.map((o) => new Map(flattenObject(o)));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const m of maps) {
    for (const k of m.keys()) {
      if (!seen.has(k) && !opts.skip?.(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  return keys.map((key) => {
    const values = maps.map((m) => m.get(key));
    const first = canonicalJson(values[0]);
    return { key, values, differs: values.some((v) => canonicalJson(v) !== first) };
  });
}

/** The metric keys every run logged, in the order of the first run. */
export function sharedKeys(keysPerRun: ReadonlyArray<readonly string[]>): string[] {
  if (keysPerRun.length === 0) return [];
  const rest = keysPerRun.slice(1).map((k) => new Set(k));
  return keysPerRun[0].filter((k) => rest.every((s) => s.has(k)));
}

/** Legend names for runs: their names, with the id added where two runs share a name. */
export function runLabels(runs: ReadonlyArray<{ id: string; name: string }>): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return runs.map((r) => ((count.get(r.name) ?? 0) > 1 ? `${r.name} (${r.id})` : r.name));
}

/** A legend below the plot that wraps instead of paging, cuts long names short and shows them whole on hover. */
export const LEGEND_WITH_HOVER = {
  bottom: 0,
  type: 'plain' as const,
  textStyle: { fontSize: 11, width: 220, overflow: 'truncate' as const },
  tooltip: { show: true },
};

/** One metric of several runs on one chart: a line per run, the legend naming the run. */
export function compareMetricOption(
  runs: ReadonlyArray<{ label: string; series: MetricSeries }>,
  opts: { key: string; logY?: boolean },
): EChartsOption {
  const option = metricLineOption(runs.map((r) => r.series), { title: opts.key, logY: opts.logY, names: runs.map((r) => r.label) });
  // Always show the legend (it names the runs), below the plot so long run names do not cover the title.
  return {
    ...option,
    legend: LEGEND_WITH_HOVER,
    grid: { ...(option.grid as object), bottom: 56 },
    xAxis: { ...(option.xAxis as object), nameGap: 22 },
  };
}
