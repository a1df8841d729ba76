/**
 * Figures of an `attention-train` run (tiny-ViT analogue of the paper's Tables 4, 5, 18, 27): reading the
 * summary and the `gallery/<method>.json` artifacts, mask IoU of any layer/head the view draws (the rules of
 * src-worker/shared/masks.ts, as the run scored them) and the accuracy-vs-sparsity scatter.
 * Pure (no DOM, no Node): the renderer composites the gallery cells (compose-cell.ts) and mounts the option in
 * EChart.svelte.
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { describeRule, type MaskRule } from '../../src-worker/shared/masks';
import type { AttentionTableRowResult, GalleryImageResult, MeanCIResult, PruningRowResult } from '../../src-worker/shared/results/attention-train';
import { tipTooltip } from './escape-html';
import { formatNumber } from './metric-line';
import { GRID_LINE_COLOR, MUTED_COLOR, PALETTE, axisCommon, baseOption } from './theme';

// ── Reading the gallery artifact ──

export interface GalleryRule {
  rule: MaskRule;
  description: string;
}

export type GalleryImage = GalleryImageResult;

export interface Gallery {
  model: string;
  method: string;
  lambda: number | null;
  seed: number | null;
  imageSize: number;
  patch: number;
  grid: number;
  layers: number;
  heads: number;
  classNames: string[];
  rules: GalleryRule[];
  images: GalleryImage[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOr = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : NaN)) : []);

function parseRule(v: unknown): GalleryRule | null {
  if (!isObj(v)) return null;
  if (v.kind === 'object-area') return { rule: { kind: 'object-area' }, description: str(v.description, describeRule({ kind: 'object-area' })) };
  if (v.kind === 'fraction' && typeof v.keep === 'number') {
    const rule: MaskRule = { kind: 'fraction', keep: v.keep };
    return { rule, description: str(v.description, describeRule(rule)) };
  }
  return null;
}

/** A gallery artifact's JSON, or null when it is not one. Images without a usable map are dropped. */
export function parseGallery(raw: unknown): Gallery | null {
  if (!isObj(raw) || !Array.isArray(raw.images)) return null;
  const imageSize = numOr(raw.imageSize, 32);
  const patch = numOr(raw.patch, 4);
  const grid = numOr(raw.grid, Math.round(imageSize / patch));
  const cells = grid * grid;
  const images: GalleryImage[] = [];
  for (const im of raw.images) {
    if (!isObj(im)) continue;
    const cls = Array.isArray(im.cls) ? im.cls.map((l) => (Array.isArray(l) ? l.map(nums) : [])) : [];
    const rollout = nums(im.rollout);
    const patchTruth = nums(im.patchTruth);
    if (patchTruth.length !== cells) continue;
    images.push({
      index: numOr(im.index, images.length),
      label: numOr(im.label, -1),
      className: str(im.className),
      texture: str(im.texture),
      prediction: numOr(im.prediction, -1),
      probabilities: nums(im.probabilities),
      objectArea: numOr(im.objectArea, NaN),
      rgbBase64: str(im.rgbBase64),
      maskBase64: str(im.maskBase64),
      patchTruth,
      cls,
      rollout,
      iou: Array.isArray(im.iou) ? (im.iou as GalleryImage['iou']) : null,
    });
  }
  return {
    model: str(raw.model, '?'),
    method: str(raw.method, str(raw.model, '?')),
    lambda: numOrNull(raw.lambda),
    seed: numOrNull(raw.seed),
    imageSize,
    patch,
    grid,
    layers: numOr(raw.layers, images[0]?.cls.length ?? 0),
    heads: numOr(raw.heads, images[0]?.cls[0]?.length ?? 0),
    classNames: Array.isArray(raw.classNames) ? raw.classNames.map((c) => String(c)) : [],
    rules: Array.isArray(raw.rules) ? raw.rules.map(parseRule).filter((r): r is GalleryRule => r !== null) : [{ rule: { kind: 'object-area' }, description: describeRule({ kind: 'object-area' }) }],
    images,
  };
}

/** Which attention map a cell shows: one head of one layer, the head mean of a layer, or rollout. */
export type MapSource = { kind: 'head'; layer: number; head: number } | { kind: 'head-mean'; layer: number } | { kind: 'rollout' };

export function mapLabel(src: MapSource): string {
  if (src.kind === 'rollout') return 'rollout';
  if (src.kind === 'head-mean') return `layer ${src.layer + 1}, head mean`;
  return `layer ${src.layer + 1}, head ${src.head + 1}`;
}

/** The grid² scores of a map source, or null when the image does not have it. */
export function attentionMap(image: GalleryImage, src: MapSource): number[] | null {
  if (src.kind === 'rollout') return image.rollout.length ? image.rollout : null;
  const layer = image.cls[src.layer];
  if (!layer || layer.length === 0) return null;
  if (src.kind === 'head') return layer[src.head] ?? null;
  const n = layer[0].length;
  const out = new Array<number>(n).fill(0);
  for (const row of layer) for (let i = 0; i < n; i++) out[i] += row[i] / layer.length;
  return out;
}

/** The worker's IoU for this map and rule (null where it has none: it scores heads, head mean of the last layer, rollout). */
export function workerIou(image: GalleryImage, src: MapSource, ruleIndex: number, layers: number): number | null {
  const r = image.iou?.[ruleIndex];
  if (!r) return null;
  if (src.kind === 'rollout') return numOrNull(r.rollout);
  if (src.kind === 'head') return numOrNull(r.layerHead?.[src.layer]?.[src.head]);
  return src.layer === layers - 1 ? numOrNull(r.lastLayerMean) : null;
}

// ── The summary ──

export type MeanCI = MeanCIResult;

export type AttentionRow = AttentionTableRowResult;

/** One point of a magnitude-pruning curve (Table 19 analogue), over seeds; percentages. */
export type PruningRow = PruningRowResult;

export interface AttentionSummary {
  analogue: string | null;
  backend: Record<string, unknown> | null;
  tokens: number | null;
  budgetKeys: number | null;
  protocol: Array<[string, string]>;
  columns: Array<{ key: string; label: string; unit: string }>;
  table: AttentionRow[];
  pruning: PruningRow[];
  prefixes: string[];
}

function parseCell(v: unknown): MeanCI | null {
  if (!isObj(v)) return null;
  const mean = numOrNull(v.mean);
  // [lo, hi]; attention runs of earlier builds stored the half-width as a number: read it as mean ± h.
  const ci =
    Array.isArray(v.ci95) && v.ci95.length === 2 && v.ci95.every((x) => typeof x === 'number' && Number.isFinite(x))
      ? (v.ci95 as [number, number])
      : typeof v.ci95 === 'number' && Number.isFinite(v.ci95) && mean !== null
        ? ([mean - v.ci95, mean + v.ci95] as [number, number])
        : null;
  return { mean, ci95: ci, n: numOr(v.n, 0) };
}

const protocolText = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join('; ') : JSON.stringify(v);

/** What the panel reads from an attention-train summary; empty parts where the run has not written them. */
export function attentionSummary(raw: unknown): AttentionSummary {
  const s = isObj(raw) ? raw : {};
  const table: AttentionRow[] = Array.isArray(s.table)
    ? s.table.filter(isObj).map((r) => ({
        row: str(r.row, '?'),
        model: str(r.model),
        mode: str(r.mode),
        seeds: numOr(r.seeds, 0),
        cells: Object.fromEntries(Object.entries(isObj(r.cells) ? r.cells : {}).flatMap(([k, v]) => {
          const c = parseCell(v);
          return c ? [[k, c] as const] : [];
        })),
      }))
    : [];
  const colsRaw = isObj(s.columns) ? s.columns : {};
  const columns = Object.entries(colsRaw).map(([key, v]) => ({ key, label: isObj(v) ? str(v.label, key) : key, unit: isObj(v) ? str(v.unit) : '' }));
  const mk = isObj(s.metricKeys) ? s.metricKeys : {};
  const empty: MeanCI = { mean: null, ci95: null, n: 0 };
  const pruning: PruningRow[] = Array.isArray(s.pruning)
    ? s.pruning.filter(isObj).map((r) => ({
        model: str(r.model, '?'),
        base: str(r.base, '?'),
        target: numOr(r.target, NaN),
        seeds: numOr(r.seeds, 0),
        accuracy: parseCell(r.accuracy) ?? empty,
        sparsity: parseCell(r.sparsity) ?? empty,
        activeKeys: parseCell(r.activeKeys) ?? empty,
      }))
    : [];
  return {
    analogue: typeof s.analogue === 'string' ? s.analogue : null,
    backend: isObj(s.backend) ? s.backend : null,
    tokens: numOrNull(s.tokens),
    budgetKeys: numOrNull(s.budgetKeys),
    protocol: isObj(s.protocol) ? Object.entries(s.protocol).map(([k, v]) => [k, protocolText(v)]) : [],
    columns,
    table,
    pruning,
    prefixes: Array.isArray(mk.prefixes) ? mk.prefixes.filter((p): p is string => typeof p === 'string') : [],
  };
}

/** "12.3 [10.1, 14.5]", or the mean alone without an interval; "–" for no number. */
export function formatMeanCI(c: MeanCI | null | undefined): { mean: string; ci: string | null } {
  if (!c || c.mean === null) return { mean: '–', ci: null };
  return { mean: formatNumber(c.mean), ci: c.ci95 ? `[${formatNumber(c.ci95[0])}, ${formatNumber(c.ci95[1])}]` : null };
}

// ── Accuracy vs sparsity ──

export interface AccuracySparsityOptions {
  title?: string;
  xKey?: string;
  yKey?: string;
  xLabel?: string;
  yLabel?: string;
}

/**
 * One labelled point per table row: x = sparsity (%), y = top-1 (%), with CI whiskers drawn as error lines
 * where the row has an interval (more than one seed).
 */
export function accuracySparsityOption(rows: AttentionRow[], o: AccuracySparsityOptions = {}): EChartsOption {
  const xKey = o.xKey ?? 'sparsity';
  const yKey = o.yKey ?? 'accuracy';
  const pts = rows.flatMap((r, i) => {
    const x = r.cells[xKey];
    const y = r.cells[yKey];
    if (!x || !y || x.mean === null || y.mean === null) return [];
    return [{ r, i, x, y }];
  });
  const fmt = (c: MeanCI): string => {
    const f = formatMeanCI(c);
    return f.ci ? `${f.mean} ${f.ci}` : f.mean;
  };
  const series: ScatterSeriesOption[] = pts.map(({ r, i, x, y }) => ({
    type: 'scatter',
    name: r.row,
    symbolSize: 11,
    itemStyle: { color: PALETTE[i % PALETTE.length] },
    label: { show: true, position: 'right', formatter: r.row, fontSize: 11 },
    data: [{ value: [x.mean as number, y.mean as number], tip: `${r.row} (${r.model}, ${r.mode}, ${r.seeds} seed${r.seeds === 1 ? '' : 's'})<br/>${xKey}: ${fmt(x)}<br/>${yKey}: ${fmt(y)}` } as never],
  }));
  const whiskers: LineSeriesOption[] = pts.flatMap(({ i, x, y }) => {
    const color = PALETTE[i % PALETTE.length];
    const lines: Array<[[number, number], [number, number]]> = [];
    if (y.ci95) lines.push([[x.mean as number, y.ci95[0]], [x.mean as number, y.ci95[1]]]);
    if (x.ci95) lines.push([[x.ci95[0], y.mean as number], [x.ci95[1], y.mean as number]]);
    return lines.map((l) => ({ type: 'line' as const, data: l, symbol: 'none', silent: true, lineStyle: { color, width: 1 }, tooltip: { show: false } }));
  });
  const sub = pts.length ? `${pts.length} table rows · whiskers = 95% CI over seeds where there are several` : 'no row has both numbers yet';
  return {
    ...baseOption(o.title ?? 'Accuracy vs sparsity', sub),
    grid: { left: 60, right: 80, top: 60, bottom: 50 },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: { type: 'value', name: o.xLabel ?? 'sparsity (%)', nameLocation: 'middle', nameGap: 28, scale: true, splitLine: { lineStyle: { color: GRID_LINE_COLOR } }, ...axisCommon },
    yAxis: { type: 'value', name: o.yLabel ?? 'top-1 (%)', nameLocation: 'middle', nameGap: 42, scale: true, splitLine: { lineStyle: { color: GRID_LINE_COLOR } }, ...axisCommon, axisLabel: { color: MUTED_COLOR } },
    series: [...series, ...whiskers],
  };
}

// ── Magnitude pruning (Table 19 analogue) ──

/**
 * One line per (model, pruned kernel): x = measured sparsity (%), y = top-1 (%), a point per target
 * sparsity, in target order; whiskers are 95% CIs over seeds where there are several.
 */
export function pruningCurvesOption(rows: PruningRow[], o: { title?: string } = {}): EChartsOption {
  const groups = new Map<string, PruningRow[]>();
  for (const r of rows) {
    if (r.accuracy.mean === null || r.sparsity.mean === null) continue;
    const key = `${r.model} · ${r.base}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const names = [...groups.keys()];
  const lines: LineSeriesOption[] = names.map((name, i) => {
    const pts = (groups.get(name) ?? []).slice().sort((a, b) => a.target - b.target);
    return {
      type: 'line',
      name,
      symbolSize: 8,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      lineStyle: { color: PALETTE[i % PALETTE.length], width: 1.5, type: name.endsWith('block-sparse') ? 'solid' : 'dashed' },
      data: pts.map((r) => {
        const a = formatMeanCI(r.accuracy);
        const sp = formatMeanCI(r.sparsity);
        return {
          value: [r.sparsity.mean as number, r.accuracy.mean as number],
          tip: `${name}, target ${formatNumber(100 * r.target)}% (${r.seeds} seed${r.seeds === 1 ? '' : 's'})<br/>sparsity ${sp.mean}${sp.ci ? ' ' + sp.ci : ''} %<br/>top-1 ${a.mean}${a.ci ? ' ' + a.ci : ''} %<br/>active keys ${formatMeanCI(r.activeKeys).mean}`,
        } as never;
      }),
    };
  });
  const whiskers: LineSeriesOption[] = names.flatMap((name, i) =>
    (groups.get(name) ?? []).flatMap((r) =>
      r.accuracy.ci95
        ? [{ type: 'line' as const, data: [[r.sparsity.mean as number, r.accuracy.ci95[0]], [r.sparsity.mean as number, r.accuracy.ci95[1]]], symbol: 'none', silent: true, lineStyle: { color: PALETTE[i % PALETTE.length], width: 1 }, tooltip: { show: false } }]
        : [],
    ),
  );
  const sub = names.length ? 'points = target sparsities (τ per layer calibrated on training images); x = the sparsity measured on the test images' : 'this run has no pruning curves';
  return {
    ...baseOption(o.title ?? 'Magnitude pruning: accuracy vs measured sparsity', sub),
    grid: { left: 60, right: 30, top: 70, bottom: 50 },
    legend: { top: 40, textStyle: { color: MUTED_COLOR } },
    tooltip: { trigger: 'item', formatter: tipTooltip },
    xAxis: { type: 'value', name: 'sparsity (weights < 0.01, %)', nameLocation: 'middle', nameGap: 28, scale: true, splitLine: { lineStyle: { color: GRID_LINE_COLOR } }, ...axisCommon },
    yAxis: { type: 'value', name: 'top-1 (%)', nameLocation: 'middle', nameGap: 42, scale: true, splitLine: { lineStyle: { color: GRID_LINE_COLOR } }, ...axisCommon, axisLabel: { color: MUTED_COLOR } },
    series: [...lines, ...whiskers],
  };
}
