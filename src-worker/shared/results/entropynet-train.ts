/** Results of `entropynet-train`: training, final validation, and the timed hull pipeline with and without the network. */
import { z } from 'zod';
import { claimsField, estimate, measured, type ResultDescriptor, type SweepMetricField } from './common';

/** Per-epoch curves (train/…, val/…) and the epoch time. */
export const ENTROPYNET_METRIC_PREFIXES = ['train/', 'val/', 'epoch_time_s'] as const;

export const pipelineRow = z.looseObject({
  dataset: z.string(),
  n: z.number().int(),
  algorithm: z.string(),
  mode: z.enum(['entropynet', 'entropynet-exact']).default('entropynet'),
  raw_ms: estimate.optional(),
  end_to_end_ms: estimate.optional(),
  end_to_end_speedup: estimate.optional(),
  algorithm_speedup: estimate.optional(),
  hull_error_pct: estimate.optional(),
});
export type PipelineRowResult = z.infer<typeof pipelineRow>;

export const entropynetHeadline = z.looseObject({
  dataset: z.string(),
  n: z.number().int(),
  algorithm: z.string(),
  end_to_end_speedup: estimate.optional(),
  algorithm_speedup: estimate.optional(),
  hull_error_pct: estimate.optional(),
  exact_end_to_end_speedup: estimate.nullable().optional(),
  exact_all_match_raw: z.boolean().nullable().optional(),
});

export const entropynetTrainSummary = z.looseObject({
  backend: z.string().nullable().optional(),
  params: z.number().int().nullable().optional(),
  k: z.number().int().nullable().optional(),
  epochs_completed: z.number().int().nullable().optional(),
  stopped_early: z.boolean().nullable().optional(),
  best_epoch: z.number().int().nullable().optional(),
  train_time_s: measured.optional(),
  final_validation: z.record(z.string(), measured).nullable().default(null),
  headline: entropynetHeadline.nullable().default(null),
  pipeline: z.array(pipelineRow).default([]),
  breakEven: z.record(z.string(), z.unknown()).nullable().optional(),
  claims: claimsField,
});
export type EntropynetTrainSummary = z.infer<typeof entropynetTrainSummary>;

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

export const entropynetTrainResults: ResultDescriptor<typeof entropynetTrainSummary> = {
  kind: 'entropynet-train',
  title: 'EntropyNet: train, then time the hull pipeline',
  summary: entropynetTrainSummary,
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
};
