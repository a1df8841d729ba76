/** Results of `entropy-validation`: surrogates against structural entropy per point set, fits, estimators. */
import { z } from 'zod';
import { claimsField, measured, type ResultDescriptor } from './common';

/** Fit curves (fit/…, per logged step) and per-set estimator end points (est/<family>/…). */
export const ENTROPY_VALIDATION_METRIC_PREFIXES = ['fit/', 'est/'] as const;

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

export const entropyValidationResults: ResultDescriptor<typeof entropyValidationSummary> = {
  kind: 'entropy-validation',
  title: 'Entropy lab: surrogates vs structural entropy',
  summary: entropyValidationSummary,
  metricKeys: ENTROPY_VALIDATION_METRIC_PREFIXES,
  headline: [
    { path: 'r2_hdiff', label: 'R² H_diff vs structural', unit: '' },
    { path: 'r2_hsoft', label: 'R² H_soft vs structural', unit: '' },
    { path: 'r2_hrect', label: 'R² H_rect vs structural', unit: '' },
  ],
  panel: 'entropy',
  figures: ['surrogate-truth', 'margin-error', 'fit-states', 'estimator-sets'],
};
