/**
 * The view half of every kind's results, with no zod: what the run view, sweeps and the runs table read.
 * `index.ts` pairs each with its summary schema.
 */
import type { ResultView, SweepMetricField } from './common';

/** Per model: `<model>/train/…` and `<model>/val/…` curves. */
export const ATTENTION_METRIC_PATTERN = '<model>/(train|val)/<key>';

export const SELFTEST_METRICS = { loss: 'loss', accuracy: 'accuracy', lr: 'lr' } as const;

/** Fit curves (fit/…, per logged step) and per-set estimator end points (est/<family>/…). */
export const ENTROPY_VALIDATION_METRIC_PREFIXES = ['fit/', 'est/'] as const;

/** Per-epoch curves (train/…, val/…) and the epoch time. */
export const ENTROPYNET_METRIC_PREFIXES = ['train/', 'val/', 'epoch_time_s'] as const;

/** What sweeps of EntropyNet runs compare (Tables 16–17, Figs. 5–6). */
export const ENTROPYNET_SWEEP_METRICS: readonly SweepMetricField[] = [
  { key: 'end_to_end_speedup', path: 'headline.end_to_end_speedup', label: 'End-to-end speedup', short: 'End-to-end', unit: '×', speedup: true },
  { key: 'algorithm_speedup', path: 'headline.algorithm_speedup', label: 'Algorithm-only speedup', short: 'Algorithm only', unit: '×', speedup: true },
  { key: 'hull_error_pct', path: 'headline.hull_error_pct', label: 'Hull error %', short: 'Hull err %', unit: '%' },
  { key: 'exact_end_to_end_speedup', path: 'headline.exact_end_to_end_speedup', label: 'Exact mode end-to-end speedup', short: 'Exact end-to-end', unit: '×', speedup: true },
  { key: 'val/h_hard_nats', path: 'final_validation.val/h_hard_nats', label: 'Final H_hard (nats)', short: 'H_hard', unit: 'nats' },
  { key: 'val/h_soft_nats', path: 'final_validation.val/h_soft_nats', label: 'Final H surrogate (nats)', short: 'H surrogate', unit: 'nats' },
  { key: 'val/structural_bits', path: 'final_validation.val/structural_bits', label: 'Final structural entropy (bits)', short: 'Struct. bits', unit: 'bits' },
  { key: 'val/margin_p05', path: 'final_validation.val/margin_p05', label: 'Final margin γ̂₅', short: 'γ̂₅', unit: '' },
  { key: 'val/hull_error_pct', path: 'final_validation.val/hull_error_pct', label: 'Final val hull error %', short: 'Val hull err %', unit: '%' },
  { key: 'val/hausdorff', path: 'final_validation.val/hausdorff', label: 'Final val Hausdorff', short: 'Val Hausdorff', unit: '' },
  { key: 'train_time_s', path: 'train_time_s', label: 'Training time (s)', short: 'Train s', unit: 's' },
];

export const selftestView: ResultView = {
  kind: 'selftest',
  title: 'Self-test',
  metricKeys: Object.values(SELFTEST_METRICS),
  headline: [
    { path: 'final_loss', label: 'final loss', unit: '' },
    { path: 'steps', label: 'steps', unit: '' },
  ],
  panel: 'generic',
  figures: ['metrics'],
};

export const sweepView: ResultView = {
  kind: 'sweep',
  title: 'Sweep',
  metricKeys: [],
  headline: [
    { path: 'done', label: 'children done', unit: '' },
    { path: 'total', label: 'children', unit: '' },
  ],
  panel: 'sweep',
  figures: ['sweep-line', 'sweep-bars'],
  summaryFolds: [{ field: 'children', as: 'count', text: 'child runs (table above)' }],
};

export const geometryTimingView: ResultView = {
  kind: 'geometry-timing',
  title: 'Geometry timing (hull, Delaunay, 3-D maxima)',
  metricKeys: [],
  headline: [],
  panel: 'geometry',
  figures: ['method-time', 'time-vs-n'],
  summaryFolds: [{ field: 'cases', as: 'count', text: 'method cases (table above)' }],
};

export const entropyValidationView: ResultView = {
  kind: 'entropy-validation',
  title: 'Entropy lab: surrogates vs structural entropy',
  metricKeys: ENTROPY_VALIDATION_METRIC_PREFIXES,
  headline: [
    { path: 'r2_hdiff', label: 'R² H_diff vs structural', unit: '' },
    { path: 'r2_hsoft', label: 'R² H_soft vs structural', unit: '' },
    { path: 'r2_hrect', label: 'R² H_rect vs structural', unit: '' },
  ],
  panel: 'entropy',
  figures: ['surrogate-truth', 'margin-error', 'fit-states', 'estimator-sets'],
  summaryFolds: [{ field: 'per_set', as: 'count', text: 'point sets (charts above)' }],
};

export const entropynetTrainView: ResultView = {
  kind: 'entropynet-train',
  title: 'EntropyNet: train, then time the hull pipeline',
  metricKeys: ENTROPYNET_METRIC_PREFIXES,
  headline: [
    { path: 'headline.end_to_end_speedup.mean', label: 'end-to-end speedup', unit: '×' },
    { path: 'headline.algorithm_speedup.mean', label: 'algorithm-only speedup', unit: '×' },
    { path: 'headline.hull_error_pct.mean', label: 'hull error', unit: '%' },
    { path: 'train_time_s', label: 'training time', unit: 's' },
  ],
  panel: 'entropynet',
  figures: ['training-curves', 'before-after', 'speedup-bars'],
  sweepMetrics: ENTROPYNET_SWEEP_METRICS,
  sweepTable: ['end_to_end_speedup', 'algorithm_speedup', 'hull_error_pct', 'exact_end_to_end_speedup', 'val/h_hard_nats', 'val/structural_bits', 'train_time_s'],
  sweepNote:
    "Speedups and hull error are each child's headline row (first dataset and algorithm at the largest evaluated n), mean over evaluation seeds with " +
    'the 95% CI below; "final" values are the last epoch\'s validation. A speedup below 1× means the pipeline is slower than the raw hull.',
  summaryFolds: [
    { field: 'pipeline', as: 'count', text: 'pipeline rows (table above)' },
    { field: 'claims', as: 'keys', text: 'claims measured (see Claims)' },
  ],
};

export const attentionTrainView: ResultView = {
  kind: 'attention-train',
  title: 'Attention lab: entropy-regularised tiny ViT',
  metricKeys: [ATTENTION_METRIC_PATTERN],
  headline: [{ path: 'wallSeconds', label: 'wall time', unit: 's' }],
  panel: 'attention',
  figures: ['accuracy-sparsity', 'pruning-curves', 'gallery'],
  summaryFolds: [
    { field: 'table', as: 'count', text: 'rows (table above)' },
    { field: 'protocol', as: 'text', text: 'see the protocol box above' },
    { field: 'columns', as: 'keys', text: 'columns' },
    { field: 'claims', as: 'count', text: 'claims (see Claims)' },
  ],
};

export const theoryChecksView: ResultView = {
  kind: 'theory-checks',
  title: 'Theory checks: E.2 gradient, Proposition 1, Theorem 3 continuity',
  metricKeys: ['e2/', 'prop1/'],
  headline: [
    { path: 'gradient.paper.medianCos', label: 'E.2 gradient cosine to finite differences (median)', unit: '' },
    { path: 'cover.worst.ratio', label: 'Proposition 1: worst cover / bound', unit: '' },
    { path: 'continuity.worstRatio', label: 'continuity: worst ratio to the bound', unit: '' },
    { path: 'lemma2.worstRatio', label: 'Lemma 2: worst ratio to the bound', unit: '' },
  ],
  panel: 'generic',
  figures: ['metrics'],
};

const views = new Map<string, ResultView>();

/** Registers a kind's view half (the results registry in index.ts does this for every kind it registers). */
export function registerView(v: ResultView): void {
  views.set(v.kind, v);
}

for (const v of [selftestView, geometryTimingView, entropyValidationView, entropynetTrainView, attentionTrainView, theoryChecksView, sweepView]) registerView(v);

/** The view half of a kind, or null for a kind without one. */
export function viewOf(kind: string): ResultView | null {
  return views.get(kind) ?? null;
}
