/** Results of `entropy-validation`: surrogates against structural entropy per point set, fits, estimators. */
import { z } from 'zod';
import { claimsField, measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { entropyValidationView } from './views';


export const entropySet = z.looseObject({
  index: z.number().int(),
  family: z.string(),
  n: z.number().int().optional(),
  hdiff_nats: measured.optional(),
  hsoft_nats: measured.optional(),
  hrect_nats: measured.optional(),
});

export const entropyValidationSummary = z.looseObject({
  backend: z.string().nullable().optional(),
  sets: z.number().int().default(0),
  r2_hdiff: measured.default(null),
  r2_hsoft: measured.default(null),
  r2_hrect: measured.default(null),
  per_set: z.array(entropySet).default([]),
  fit: z.record(z.string(), z.unknown()).nullable().optional(),
  estimators: z.record(z.string(), z.unknown()).nullable().optional(),
  claims: claimsField,
});
export type EntropyValidationSummary = z.infer<typeof entropyValidationSummary>;

export const entropyValidationResults: ResultDescriptor<typeof entropyValidationSummary> = { ...entropyValidationView, summary: entropyValidationSummary };
export { ENTROPY_VALIDATION_METRIC_PREFIXES } from './views';
