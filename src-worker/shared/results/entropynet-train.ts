/** Results of `entropynet-train`: training, final validation, and the timed hull pipeline with and without the network. */
import { z } from 'zod';
import { claimsField, estimate, measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { entropynetTrainView } from './views';


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


export const entropynetTrainResults: ResultDescriptor<typeof entropynetTrainSummary> = { ...entropynetTrainView, summary: entropynetTrainSummary };
export { ENTROPYNET_METRIC_PREFIXES, ENTROPYNET_SWEEP_METRICS } from './views';
