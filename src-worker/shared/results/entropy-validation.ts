/** Results of `entropy-validation`: surrogates against structural entropy per point set, fits, estimators. */
import { z } from 'zod';
import { claimsField, measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { entropyValidationView } from './views';

/** One row of `per_set`: a point set's surrogates (nats) and structural upper bounds (bits). */
export const entropySet = z.looseObject({
  index: z.number().int(),
  family: z.string(),
  variant: z.string().optional(),
  n: z.number().int().optional(),
  k: z.number().int().optional(),
  h: z.number().int().optional(),
  hdiff_nats: measured.optional(),
  hsoft_nats: measured.optional(),
  hrect_nats: measured.optional(),
  /** Best-triangulation upper bound, bits; null when the hull was over `structuralMaxHull`. */
  struct_tri_bits: measured.optional(),
  struct_slab_bits: measured.optional(),
});
export type EntropySetResult = z.infer<typeof entropySet>;

/** A least-squares line y = slope·x + intercept with its R² over `points` finite pairs (shared/stats linearFit). */
export const linearFitResult = z.looseObject({ slope: measured, intercept: measured, r2: measured, points: z.number().int() });

/** Part (b), margin vs error; `{ enabled: false }` when the run did not fit. */
export const fitSummary = z.looseObject({
  enabled: z.boolean(),
  surrogate: z.string().optional(),
  logged_steps: z.number().int().optional(),
  spearman_margin_vs_err_hard: measured.optional(),
  spearman_margin_vs_err_struct: measured.optional(),
  bound_holds_fraction: measured.optional(),
  bound_informative_fraction: measured.optional(),
  struct_vs_surrogate_across_training: linearFitResult.optional(),
});

/** Part (c), one surrogate family fitted on every estimator set. */
export const estimatorFamilyResult = z.looseObject({
  mean_struct_drop_bits: measured,
  mean_hull_area_err_pct: measured,
  mean_err_hard_end_nats: measured,
  mean_margin_end: measured,
  r2_start_vs_struct: measured,
});

export const estimatorSummary = z.looseObject({
  enabled: z.boolean(),
  families: z.record(z.string(), estimatorFamilyResult).optional(),
  note: z.string().optional(),
});

export const entropyValidationSummary = z.looseObject({
  backend: z.string().nullable().optional(),
  sets: z.number().int().default(0),
  surrogate_vs_structural: z.record(z.string(), linearFitResult).optional(),
  r2_hdiff: measured.default(null),
  r2_hsoft: measured.default(null),
  r2_hrect: measured.default(null),
  max_tfjs_minus_direct_nats: measured.optional(),
  bound_constants: z.looseObject({ c: z.number(), delta: z.number(), note: z.string().optional() }).optional(),
  per_set: z.array(entropySet).default([]),
  fit: fitSummary.nullable().optional(),
  estimators: estimatorSummary.nullable().optional(),
  seconds: z.number().optional(),
  claims: claimsField,
});
export type EntropyValidationSummary = z.infer<typeof entropyValidationSummary>;
/** What a run returns (the schema's input: fields with defaults may be left out). */
export type EntropyValidationResult = z.input<typeof entropyValidationSummary>;

const flat = z.array(z.number());

/** One surrogate state in `fit-states.json`: the moved points and the fitted family's parameters. */
export const fitSnapshot = z.looseObject({
  points: flat,
  surrogateNats: measured.optional(),
  anchors: flat.optional(),
  planes: flat.optional(),
  rect: z.looseObject({ d: z.number().int(), r: z.number().int(), start: flat, gaps: flat }).optional(),
});

/** The `fit-states.json` artifact: each fitted set before and after the fit. */
export const fitStates = z.array(
  z.looseObject({ set: z.number().int(), family: z.string(), surrogate: z.enum(['ball', 'halfspace', 'rect']), before: fitSnapshot, after: fitSnapshot }),
);
export type FitStatesResult = z.infer<typeof fitStates>;

export const entropyValidationResults: ResultDescriptor<typeof entropyValidationSummary> = {
  ...entropyValidationView,
  summary: entropyValidationSummary,
  artifacts: [{ name: 'fit-states.json', schema: fitStates }],
};
export { ENTROPY_VALIDATION_METRIC_PREFIXES } from './views';
