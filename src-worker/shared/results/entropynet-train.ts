/** Results of `entropynet-train`: training, final validation, and the timed hull pipeline with and without the network. */
import { z } from 'zod';
import { claimsField, estimate, measured, missingEstimate, unmeasured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { entropynetTrainView } from './views';

export const pipelineMode = z.enum(['entropynet', 'entropynet-exact']);
export type PipelineModeResult = z.infer<typeof pipelineMode>;

/** One (dataset, n, algorithm, mode) of the timed pipeline: means and 95% CIs over seeds. */
export const pipelineRow = z.looseObject({
  dataset: z.string(),
  n: z.number().int(),
  algorithm: z.string(),
  mode: pipelineMode.default('entropynet'),
  raw_ms: missingEstimate,
  preprocess_ms: missingEstimate,
  algorithm_ms: missingEstimate,
  end_to_end_ms: missingEstimate,
  /** raw / (forward + algorithm), per seed, then mean and CI over seeds. */
  end_to_end_speedup: missingEstimate,
  /** raw / algorithm on the network's output (both warm), per seed. */
  algorithm_speedup: missingEstimate,
  /** Warm algorithm-only time on the network's output. */
  algorithm_warm_ms: missingEstimate,
  hull_error_pct: missingEstimate,
  hausdorff: missingEstimate,
  /** Exact mode: fraction of sets whose certificate held (no fallback), and whether every hull equalled raw. */
  certified_fraction: unmeasured,
  all_match_raw: z.boolean().nullable().default(null),
  kept_fraction: estimate.nullable().default(null),
});
export type PipelineRowResult = z.infer<typeof pipelineRow>;

export const entropynetHeadline = z.looseObject({
  dataset: z.string().default(''),
  n: z.number().int().default(0),
  algorithm: z.string().default(''),
  end_to_end_speedup: missingEstimate,
  algorithm_speedup: missingEstimate,
  hull_error_pct: missingEstimate,
  exact_end_to_end_speedup: estimate.nullable().default(null),
  exact_all_match_raw: z.boolean().nullable().default(null),
});
export type EntropynetHeadlineResult = z.infer<typeof entropynetHeadline>;

/** What the break-even figure needs: this run's training time, its end-to-end speedup and the raw hull time. */
export const breakEvenInputs = z.looseObject({
  trainingSeconds: z.number(),
  speedup: z.number(),
  speedupCi95: z.tuple([z.number(), z.number()]).nullable(),
  rawSeconds: z.number(),
  note: z.string().default(''),
});
export type BreakEvenInputsResult = z.infer<typeof breakEvenInputs>;

export const entropynetTrainSummary = z.looseObject({
  backend: z.string().nullable().optional(),
  params: z.number().int().nullable().optional(),
  k: z.number().int().nullable().optional(),
  epochs_completed: z.number().int().nullable().optional(),
  stopped_early: z.boolean().nullable().optional(),
  best_epoch: z.number().int().nullable().optional(),
  train_time_s: measured.optional(),
  /** The paper's training settings the run kept and changed, and its data size (runs of earlier builds: none). */
  protocol: z.string().optional(),
  final_validation: z.record(z.string(), measured).nullable().default(null),
  headline: entropynetHeadline.nullable().default(null),
  pipeline: z.array(pipelineRow).default([]),
  breakEven: breakEvenInputs.nullable().optional(),
  claims: claimsField,
});
export type EntropynetTrainSummary = z.infer<typeof entropynetTrainSummary>;
/** What a run returns (the schema's input: fields with defaults may be left out). */
export type EntropynetTrainResult = z.input<typeof entropynetTrainSummary>;

/** The `before-after.json` artifact: one validation set before and after the network, with both hulls. */
export const beforeAfter = z.looseObject({
  dataset: z.string(),
  n: z.number().int(),
  seed: z.number(),
  hullEncoding: z.string().optional(),
  before: z.array(z.number()),
  after: z.array(z.number()),
  /** Vertex indices (older layouts: flat coordinates). */
  hullBefore: z.array(z.number()),
  hullAfter: z.array(z.number()),
});
export type BeforeAfterResult = z.infer<typeof beforeAfter>;

export const entropynetTrainResults: ResultDescriptor<typeof entropynetTrainSummary> = {
  ...entropynetTrainView,
  summary: entropynetTrainSummary,
  artifacts: [
    { name: 'before-after.json', schema: beforeAfter },
    { name: 'model.bin', schema: null },
    { name: /^checkpoint-(best|last|epoch-\d+)\.bin$/, schema: null },
  ],
};
export { ENTROPYNET_METRIC_PREFIXES, ENTROPYNET_SWEEP_METRICS } from './views';
