/**
 * Key-cluster collapse over training (attention-train models with learned anchors): per layer and head the
 * hard cluster-mass entropy H(m) of the keys and the attention tail mass δ outside the block-sparse support
 * at the run's key budget b, and the model's block-sparse top-1 on the probe batch. The worker writes them
 * as metrics `<prefix>/collapse/{block_acc, l<l>h<h>/mass_entropy, l<l>h<h>/tail_mass}`
 * (src-worker/experiments/attention-train/collapse.ts).
 *
 * Reference lines say what collapse means: ln k is the largest cluster-mass entropy of k clusters; ln(N/b)
 * that of N/b equal clusters of b keys (the entropy-floor variant's default floor, the entropy-per-image
 * variant's target); and 1 − b/N the tail
 * mass when all N keys sit in one cluster and the block keeps b of them with no preference of the query.
 * Pure (no DOM, no Node).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { formatNumber } from './metric-line';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, axisCommon, baseOption } from './theme';

export type CollapseQuantity = 'mass_entropy' | 'tail_mass' | 'topb_tail' | 'block_acc';

const KEY = /^(.+)\/collapse\/(?:(block_acc)|l(\d+)h(\d+)\/(mass_entropy|tail_mass|topb_tail))$/;

export interface CollapseKey {
  key: string;
  prefix: string;
  quantity: CollapseQuantity;
  layer: number | null;
  head: number | null;
}

/** The collapse metric keys among `keys`, parsed; other keys are ignored. */
export function collapseKeys(keys: readonly string[]): CollapseKey[] {
  return keys.flatMap((key): CollapseKey[] => {
    const m = KEY.exec(key);
    if (!m) return [];
    if (m[2]) return [{ key, prefix: m[1], quantity: 'block_acc', layer: null, head: null }];
    return [{ key, prefix: m[1], quantity: m[5] as CollapseQuantity, layer: Number(m[3]), head: Number(m[4]) }];
  });
}

/** Model prefixes with collapse metrics, in first-seen order. */
export function collapsePrefixes(keys: readonly string[]): string[] {
  return [...new Set(collapseKeys(keys).map((k) => k.prefix))];
}

export interface CollapseSeries {
  key: string;
  points: Array<{ step: number; value: number | null }>;
}

export interface CollapseReferences {
  /** Tokens N, key budget b, clusters per head k (any may be unknown). */
  tokens: number | null;
  budgetKeys: number | null;
  clusters: number | null;
}

export interface CollapseOptions {
  prefix: string;
  quantity: CollapseQuantity;
  refs?: CollapseReferences;
  title?: string;
}

const TITLES: Record<CollapseQuantity, { title: string; axis: string }> = {
  mass_entropy: { title: 'Cluster-mass entropy', axis: 'H(m) (nats)' },
  tail_mass: { title: 'Tail mass δ (block)', axis: 'δ' },
  topb_tail: { title: 'Tail mass (top-b)', axis: 'δ (top-b)' },
  block_acc: { title: 'Block-sparse top-1', axis: 'top-1 (%)' },
};

/** Horizontal reference lines of a quantity, from N, b and k (none when they are unknown). */
export function collapseReferenceLines(quantity: CollapseQuantity, refs: CollapseReferences | undefined): Array<{ value: number; label: string }> {
  const n = refs?.tokens ?? null;
  const b = refs?.budgetKeys ?? null;
  const k = refs?.clusters ?? null;
  const out: Array<{ value: number; label: string }> = [];
  if (quantity === 'mass_entropy') {
    if (k && k > 1) out.push({ value: Math.log(k), label: `ln k = ${formatNumber(Math.log(k))} (k = ${k} equal clusters)` });
    if (n && b && b < n) out.push({ value: Math.log(n / b), label: `ln(N/b) = ${formatNumber(Math.log(n / b))} (clusters of b keys)` });
  } else if (quantity === 'tail_mass' || quantity === 'topb_tail') {
    if (n && b && b < n) out.push({ value: 1 - b / n, label: `1 − b/N = ${formatNumber(1 - b / n)} (one cluster of all N keys)` });
  }
  return out;
}

/**
 * One line per (layer, head) of `prefix` (or one line for block accuracy) over training steps, with the
 * quantity's reference lines dashed.
 */
export function collapseOption(series: readonly CollapseSeries[], o: CollapseOptions): EChartsOption {
  const wanted = collapseKeys(series.map((s) => s.key)).filter((k) => k.prefix === o.prefix && k.quantity === o.quantity);
  wanted.sort((a, b) => (a.layer ?? 0) - (b.layer ?? 0) || (a.head ?? 0) - (b.head ?? 0));
  const byKey = new Map(series.map((s) => [s.key, s]));
  const scale = o.quantity === 'block_acc' ? 100 : 1;
  const lines: LineSeriesOption[] = wanted.map((k, i) => ({
    type: 'line',
    name: k.layer === null ? 'block-sparse top-1' : `L${(k.layer ?? 0) + 1} H${(k.head ?? 0) + 1}`,
    showSymbol: false,
    lineStyle: { width: 1.2, color: PALETTE[(k.layer ?? 0) % PALETTE.length], opacity: 0.35 + (0.65 * ((k.head ?? 0) + 1)) / 4 },
    itemStyle: { color: PALETTE[(k.layer ?? 0) % PALETTE.length] },
    data: (byKey.get(k.key)?.points ?? []).filter((p) => p.value !== null).map((p) => [p.step, (p.value as number) * scale]),
    ...(i === 0
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: MUTED_COLOR },
            label: { formatter: '{b}', position: 'insideEndTop', color: MUTED_COLOR, fontSize: 10 },
            data: collapseReferenceLines(o.quantity, o.refs).map((r) => ({ yAxis: r.value, name: r.label })),
          },
        }
      : {}),
  }));
  // Beside the block's tail, the least tail any b keys could leave (each row's top b), averaged over heads.
  if (o.quantity === 'tail_mass') {
    const oracle = meanOverHeads(series, o.prefix, 'topb_tail');
    if (oracle.length)
      lines.push({ type: 'line', name: 'top-b tail, head mean', showSymbol: false, z: 3, lineStyle: { width: 2.5, type: 'dashed', color: '#111827' }, itemStyle: { color: '#111827' }, data: oracle });
  }
  const t = TITLES[o.quantity];
  const sub = wanted.length ? `${o.prefix} · ${wanted.length === 1 ? 'probe batch' : `${wanted.length} heads, colour = layer`}` : `${o.prefix}: no collapse metrics`;
  // Keep the reference lines inside the plot (ECharts drops a markLine outside the axis range); a hard
  // cluster-mass entropy never exceeds ln k, the top one.
  const refTop = Math.max(0, ...collapseReferenceLines(o.quantity, o.refs).map((r) => r.value));
  return {
    ...baseOption(o.title ?? t.title, sub),
    grid: { left: 56, right: 24, top: 60, bottom: 44 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : String(v)) },
    xAxis: { type: 'value', name: 'training step', nameLocation: 'middle', nameGap: 26, scale: true, splitLine: { lineStyle: { color: GRID_LINE_COLOR } }, ...axisCommon },
    yAxis: {
      type: 'value',
      name: t.axis,
      nameLocation: 'middle',
      nameGap: 40,
      min: 0,
      ...(o.quantity === 'tail_mass' || o.quantity === 'topb_tail' ? { max: 1 } : o.quantity === 'block_acc' ? { max: 100 } : refTop > 0 ? { max: Math.ceil(2 * refTop + 0.1) / 2 } : {}),
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
      ...axisCommon,
      axisLabel: { color: MUTED_COLOR },
    },
    series: lines,
  };
}

/** [step, mean over heads] of a per-head quantity at every step all heads share. */
export function meanOverHeads(series: readonly CollapseSeries[], prefix: string, quantity: CollapseQuantity): Array<[number, number]> {
  const keys = new Set(collapseKeys(series.map((s) => s.key)).filter((k) => k.prefix === prefix && k.quantity === quantity).map((k) => k.key));
  const sums = new Map<number, { sum: number; count: number }>();
  for (const s of series) {
    if (!keys.has(s.key)) continue;
    for (const p of s.points) {
      if (p.value === null) continue;
      const e = sums.get(p.step) ?? { sum: 0, count: 0 };
      e.sum += p.value;
      e.count++;
      sums.set(p.step, e);
    }
  }
  return [...sums.entries()].filter(([, e]) => e.count === keys.size).sort((a, b) => a[0] - b[0]).map(([step, e]) => [step, e.sum / e.count]);
}

/** Last value of each (layer, head) line of a quantity, for the panel's summary line: mean, min and max. */
export function collapseLast(series: readonly CollapseSeries[], prefix: string, quantity: CollapseQuantity): { mean: number; min: number; max: number; heads: number } | null {
  const keys = new Set(collapseKeys(series.map((s) => s.key)).filter((k) => k.prefix === prefix && k.quantity === quantity).map((k) => k.key));
  const last = series
    .filter((s) => keys.has(s.key))
    .flatMap((s) => {
      const pts = s.points.filter((p) => p.value !== null);
      return pts.length ? [pts[pts.length - 1].value as number] : [];
    });
  if (!last.length) return null;
  return { mean: last.reduce((a, v) => a + v, 0) / last.length, min: Math.min(...last), max: Math.max(...last), heads: last.length };
}
