/**
 * One figure of every builder in src-main/figures/, from small fixture data shaped as the runs store it, so a
 * test can export all of them and check each file. `label` goes into a legend or title of every figure that
 * names a run or a series, so escaping can be checked with a hostile name.
 */
import type { EChartsOption } from 'echarts';
import type { MetricSeries, TimingSample } from '../../../../src-main/api/contract';
import { accuracySparsityOption, pruningCurvesOption, attentionSummary, type AttentionRow } from '../../../../src-main/figures/attention';
import { collapseOption } from '../../../../src-main/figures/attention-collapse';
import { breakEvenOption } from '../../../../src-main/figures/break-even';
import { compareMetricOption } from '../../../../src-main/figures/compare';
import { parallelOption, scatterOption, seedBandOption } from '../../../../src-main/figures/compare-scale';
import { entropySummary, estimatorSetsOption, fitStateFigure, marginErrorOption, marginErrorRows, surrogateTruthOption, type FitState } from '../../../../src-main/figures/entropy';
import { TRAINING_GROUPS, beforeAfterOption, entropyNetSummary, parseBeforeAfter, speedupBarsOption, trainingCurvesOption } from '../../../../src-main/figures/entropynet';
import { geometryCases, methodTimeOption, parsePointPreview, pointPreviewOption, sampleBoxOption, timeVsNOption } from '../../../../src-main/figures/geometry';
import { metricLineOption } from '../../../../src-main/figures/metric-line';
import { sweepBarsOption, sweepDimensions, sweepHeatmapOption, sweepLayout, sweepLineOption, sweepMetrics, sweepTradeoffOption, type SweepChild } from '../../../../src-main/figures/sweep';
import { rng } from '../../../../src-worker/shared/random';

export interface GalleryFigure {
  /** The builder's name. */
  name: string;
  option: EChartsOption;
}

const line = (key: string, n: number, f: (i: number) => number | null): MetricSeries => ({
  key,
  downsampled: false,
  points: Array.from({ length: n }, (_, i) => ({ step: i, value: f(i) })),
});
const stepSeries = (key: string, pts: Array<[number, number | null]>): MetricSeries => ({ key, downsampled: false, points: pts.map(([step, value]) => ({ step, value })) });
const est = (mean: number, lo = mean * 0.8, hi = mean * 1.2) => ({ mean, ci95: [lo, hi], n: 3 });

/** A summary case shaped as geometry-timing writes it (JSON from the store, so nulls where a number is undefined). */
export function geometryCase(over: Record<string, unknown> = {}): Record<string, unknown> {
  const preprocess = (over.preprocess as string) ?? 'raw';
  const algorithm = (over.algorithm as string) ?? 'chan';
  return {
    task: 'hull', dataset: 'uniform-square', n: 1000, algorithm, preprocess, method: `${preprocess}+${algorithm}`,
    seeds: [1, 2, 3], samples: 60, truncatedCases: 0, perSeedMeanMs: [0.3, 0.2, 0.2],
    meanMs: 0.25, ci95Ms: [0.1, 0.4], medianMs: 0.2, sdMs: 0.05,
    speedup: 1, speedupCi95: [1, 1], tVsRaw: null, pValueVsRaw: null,
    hullErrorPct: 0, hausdorff: 0, hausdorffPoints: 0, h: 18.3, precision: 1, recall: 1, points: 1000,
    ...over,
  };
}

function entropySummaryFixture(): Record<string, unknown> {
  const per_set = [0, 1, 2, 3, 4, 5].map((i) => ({
    index: i, family: ['clusters', 'clusters', 'uniform', 'uniform', 'convex', 'convex'][i], variant: 'v', n: 128, k: 3, h: 10 + i,
    hdiff_nats: 0.5 + 0.3 * i + (i % 2 ? 0.05 : -0.05), hsoft_nats: 2 + 0.1 * i, hrect_nats: 2.2,
    struct_tri_bits: i === 5 ? null : 1 + 0.5 * i, struct_slab_bits: 1 + 0.4 * i,
  }));
  return { per_set, surrogate_vs_structural: { hdiff: { slope: 0.5, intercept: 0.1, r2: 0.32, points: 5 } } };
}

function enetRow(over: Record<string, unknown>): Record<string, unknown> {
  return {
    dataset: 'uniform-square', n: 10000, algorithm: 'chan', mode: 'entropynet',
    raw_ms: est(4), preprocess_ms: est(110), algorithm_ms: est(2), end_to_end_ms: est(112),
    end_to_end_speedup: est(0.036, 0.02, 0.053), algorithm_speedup: est(2.1, 1.6, 2.6), algorithm_warm_ms: est(1.9),
    hull_error_pct: est(28), hausdorff: est(0.05),
    ...over,
  };
}

function sweepSummary(e2e: number, alg: number, err: number, h: number): Record<string, unknown> {
  return {
    headline: { end_to_end_speedup: est(e2e), algorithm_speedup: est(alg), hull_error_pct: est(err), exact_end_to_end_speedup: null },
    final_validation: { 'val/h_hard_nats': h },
    train_time_s: 12,
  };
}
const child = (runId: string, params: Record<string, unknown>, summary: Record<string, unknown> | null, status = 'done'): SweepChild => ({ runId, params, status, error: null, summary });

/** Every builder once; `label` names a series, a run or a method in each figure that shows such a name. */
export function figureGallery(label = 'run A'): GalleryFigure[] {
  const out: GalleryFigure[] = [];
  const add = (name: string, option: EChartsOption): void => void out.push({ name, option });

  add('metric-line', metricLineOption([line('train/loss', 200, (i) => 2 * Math.exp(-i / 50) + 0.1), line('val/loss', 200, (i) => 2.2 * Math.exp(-i / 60) + 0.15)], { title: `${label}: loss`, names: [label, 'val/loss'] }));
  add('compare-metric', compareMetricOption([{ label, series: line('loss', 50, (i) => 1 / (i + 1)) }, { label: 'run B', series: line('loss', 50, (i) => 1.2 / (i + 1)) }], { key: 'loss' }));
  add('break-even', breakEvenOption({ trainingSeconds: 100, speedup: 2, rawSeconds: 1 }, { title: `Break-even · ${label}` }));

  const cases = geometryCases({ cases: [1e3, 1e4, 1e5].flatMap((n) => [geometryCase({ n, meanMs: n / 1000, ci95Ms: [0.8 * (n / 1000), 1.2 * (n / 1000)] }), geometryCase({ n, preprocess: label, meanMs: (n / 1000) ** 1.5, ci95Ms: [0.9 * (n / 1000) ** 1.5, 1.1 * (n / 1000) ** 1.5] })]) });
  add('geometry-method-time', methodTimeOption(cases.filter((c) => c.n === 1e4)));
  add('geometry-time-vs-n', timeVsNOption(cases));
  const samples: TimingSample[] = [];
  for (const preprocess of [label, 'raw']) {
    for (let r = 0; r < 30; r++) samples.push({ task: 'hull', dataset: 'uniform-square', n: 1000, algorithm: 'chan', preprocess, seed: 1, repeat: r, ms: r === 0 ? 50 : 1 + (r % 7) * 0.1, quality: null });
  }
  add('geometry-samples', sampleBoxOption(samples));
  const r = rng(3);
  const pts = Array.from({ length: 400 }, () => r());
  add('geometry-preview', pointPreviewOption(parsePointPreview({ dataset: 'uniform-square', n: 200, seed: 1, count: 200, stride: 1, points: pts, hull: [0, 0, 1, 0, 1, 1, 0, 1], hullIndices: [0, 1, 2, 3] })!, { plotSize: 300 }));

  const metrics = [
    stepSeries('fit/margin', [[0, 0.01], [1, 0.05], [2, 0.2], [3, 0.02]]),
    stepSeries('fit/err_hard_soft_nats', [[0, 1.2], [1, 0.3], [2, 0.01], [3, 2]]),
    stepSeries('fit/err_struct_soft_nats', [[0, 0.5], [2, 0.4], [3, 0.6]]),
    stepSeries('fit/bound', [[0, 4], [1, 3], [2, 2], [3, 5]]),
    stepSeries('fit/set', [[0, 0], [1, 0], [2, 1], [3, 1]]),
  ];
  add('entropy-margin-error', marginErrorOption(marginErrorRows(metrics), {
    surrogate: 'halfspace', spearmanHard: -0.83, spearmanStruct: -0.59, spearmanSource: 'run summary',
    constants: { c: 1, delta: 0.05, note: 'τ in distance units' }, boundHoldsFraction: 1, boundInformativeFraction: 0.35,
    setLabel: (s) => [label, 'uniform'][s] ?? String(s),
  }));
  const sets = entropySummary(entropySummaryFixture()).sets;
  add('entropy-surrogate-truth', surrogateTruthOption(sets, { surrogate: 'hdiff', fit: { slope: 0.5, intercept: 0.1, r2: 0.32, points: 5 }, fitSource: 'run summary' }));
  const points = Float64Array.from(Array.from({ length: 300 }, () => r()));
  const snap = (over: Partial<FitState['before']>): FitState['before'] => ({ points, surrogateNats: null, anchors: null, planes: null, rect: null, ...over });
  const anchors = Float64Array.from([0.2, 0.2, 0.8, 0.3, 0.5, 0.8, 0.1, 0.9]);
  add('entropy-fit-state', fitStateFigure({ set: 1, family: label, surrogate: 'ball', before: snap({ anchors }), after: snap({ anchors, surrogateNats: 0.9 }) }, 'after', { alpha: 10, tau: 0.05 }).option);
  add('entropy-estimators', estimatorSetsOption([
    stepSeries('est/ball/struct_drop_bits', [[0, 0.1], [1, 0.2], [2, 0.05]]),
    stepSeries('est/rect/struct_drop_bits', [[0, 0.3], [2, 0.1]]),
  ], 'struct_drop_bits', { setLabel: (s) => [label, 'mixture', 'uniform'][s] }));

  const curves = [stepSeries('train/loss', [[0, 3], [1, 2], [2, 1.5]]), stepSeries('train/task_loss', [[0, 2], [1, 1.5], [2, 1.2]]), stepSeries('val/h_hard_nats', [[0, 2.5], [1, 2.2], [2, 2]]), stepSeries('val/structural_bits', [[0, 9], [1, 8.5], [2, 8]])];
  add('entropynet-training', trainingCurvesOption(TRAINING_GROUPS.find((g) => g.id === 'entropy')!, curves, { regStartEpoch: 1, bestEpoch: 2 }));
  const ba = parseBeforeAfter({ dataset: label, n: 5, seed: 7, hullEncoding: 'indices into before / after', before: [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5], after: [0.05, 0.05, 0.95, 0.05, 0.95, 0.95, 0.05, 0.95, 0.5, 0.5], hullBefore: [0, 1, 2, 3], hullAfter: [0, 1, 2, 3] })!;
  add('entropynet-before-after', beforeAfterOption(ba, 'after'));
  add('entropynet-speedups', speedupBarsOption(entropyNetSummary({ pipeline: [enetRow({ dataset: label }), enetRow({ mode: 'entropynet-exact', end_to_end_speedup: est(0.03) })] }).pipeline));

  const cell = (mean: number, ci95: [number, number] | null = null) => ({ mean, ci95, n: ci95 ? 3 : 1 });
  const rows: AttentionRow[] = [
    { row: 'none', model: 'none', mode: 'dense', seeds: 1, cells: { accuracy: cell(46.1), sparsity: cell(17.2) } },
    { row: label, model: 'none', mode: 'top-b', seeds: 3, cells: { accuracy: cell(44, [40, 48]), sparsity: cell(60, [55, 65]) } },
  ];
  add('attention-accuracy-sparsity', accuracySparsityOption(rows));
  const pruning = attentionSummary({
    pruning: [
      { model: label, base: 'dense', target: 0.9, seeds: 2, accuracy: { mean: 40, ci95: [38, 42], n: 2 }, sparsity: { mean: 88, ci95: null, n: 2 }, activeKeys: { mean: 7, ci95: null, n: 2 } },
      { model: label, base: 'dense', target: 0.5, seeds: 2, accuracy: { mean: 45, ci95: null, n: 2 }, sparsity: { mean: 55, ci95: null, n: 2 }, activeKeys: { mean: 30, ci95: null, n: 2 } },
    ],
  }).pruning;
  add('attention-pruning', pruningCurvesOption(pruning));
  const heads = [0, 1].flatMap((l) => [0, 1].map((h) => line(`${label}/collapse/l${l}h${h}/mass_entropy`, 20, (i) => Math.log(8) * Math.exp(-i / (8 + 4 * l + h)))));
  add('attention-collapse', collapseOption(heads, { prefix: label, quantity: 'mass_entropy', refs: { tokens: 65, budgetKeys: 17, clusters: 8 } }));

  const hdims = sweepDimensions({ grid: { k: [8, 16] }, variants: [{ variant: label }, { variant: 'alpha = 10' }] });
  const hchildren = [
    child('a', { variant: label, k: 8 }, sweepSummary(0.04, 2, 20, 2)),
    child('b', { variant: label, k: 16 }, sweepSummary(0.05, 2.5, 22, 2.1)),
    child('c', { variant: 'alpha = 10', k: 8 }, sweepSummary(0.03, 1.5, 18, 1.8)),
    child('d', { variant: 'alpha = 10', k: 16 }, null, 'failed'),
  ];
  const layout = sweepLayout(hdims);
  if (layout.kind === 'heatmap') add('sweep-heatmap', sweepHeatmapOption('entropynet-train', hchildren, layout.x, layout.y, sweepMetrics('entropynet-train', hchildren)[0]));
  const dim = sweepDimensions({ grid: { lambda: [1, 0.01, 0.1] }, variants: [] })[0];
  const lchildren = [child('a', { lambda: 1 }, sweepSummary(0.02, 3, 35, 1)), child('b', { lambda: 0.01 }, sweepSummary(0.05, 1.2, 5, 2.5)), child('c', { lambda: 0.1 }, sweepSummary(0.04, 2, 20, 2))];
  add('sweep-tradeoff', sweepTradeoffOption('entropynet-train', lchildren, dim));
  add('sweep-line', sweepLineOption('entropynet-train', lchildren, dim, sweepMetrics('entropynet-train', lchildren)[0]));
  add('sweep-bars', sweepBarsOption('entropynet-train', hchildren, null, sweepMetrics('entropynet-train', hchildren)[0], { dims: hdims }));

  const seeds = (scale: number): MetricSeries[] => [0, 1, 2].map((s) => line('loss', 80, (i) => scale * Math.exp(-i / 30) + 0.02 * ((s * 7 + i) % 5)));
  add('compare-seed-band', seedBandOption([{ label: `lr=0.1 ${label}`, series: seeds(1) }, { label: 'lr=0.01', series: seeds(1.5) }], { key: 'loss' }));
  add('compare-scatter', scatterOption([{ label, x: 0.1, y: 0.2 }, { label: 'run B', x: 0.01, y: 0.35 }, { label: 'run C', x: 0.05, y: 0.25 }], { xName: 'config.lr', yName: 'summary.finalLoss' }));
  add('compare-parallel', parallelOption([{ label, values: [0.1, 3, 0.2] }, { label: 'run B', values: [0.01, 5, null] }], ['config.lr', 'config.depth', 'summary.finalLoss']));
  return out;
}
