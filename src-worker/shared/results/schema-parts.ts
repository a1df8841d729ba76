/**
 * zod pieces every kind's summary schema is built from. A summary crosses from the worker (numbers may still
 * be NaN or ±∞) to the store (JSON: they became null), so a measured number accepts all of these; objects are
 * loose (`z.looseObject`): fields a schema does not name pass through untouched.
 */
import { z } from 'zod';

/** A measured number: finite, NaN, ±∞ (in the worker) or null (read back from JSON). */
export const measured = z.custom<number | null>((v) => v === null || typeof v === 'number', 'expected a number or null');

/** A 95% interval [lo, hi], either end possibly unmeasured. */
export const interval = z.tuple([measured, measured]);

/** A number a run measures, `null` where an older layout did not store it. */
export const unmeasured = measured.default(null);

/** An interval that may be missing (null or absent in older layouts): read as [null, null]. */
export const openInterval = interval
  .nullable()
  .default(null)
  .transform((v): [number | null, number | null] => v ?? [null, null]);


/** mean ± 95% CI over seeds, the workbench's one summary convention. */
export const estimate = z.looseObject({ mean: measured, ci95: openInterval, n: z.number().int().default(0) });
export type EstimateResult = z.infer<typeof estimate>;

/** An estimate an older layout did not store: no mean, no interval, no seeds. */
export const missingEstimate = estimate.default({ mean: null, ci95: [null, null], n: 0 });

/** Claim measurements are read by the Claims report (src-main/claims), which owns their schema. */
export const claimsField = z.unknown().optional();

