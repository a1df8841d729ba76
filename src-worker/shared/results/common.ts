/**
 * The pieces every kind's results file is built from. A summary crosses from the worker (numbers may still be
 * NaN or ±∞) to the store (JSON: they became null), so a measured number accepts all of these; objects are
 * loose (`z.looseObject`): fields this schema does not name pass through untouched, so a run written by a
 * newer or older build still reads.
 */
import { z } from 'zod';

/** A measured number: finite, NaN, ±∞ (in the worker) or null (read back from JSON). */
export const measured = z.custom<number | null>((v) => v === null || typeof v === 'number', 'expected a number or null');

/** A 95% interval [lo, hi], either end possibly unmeasured. */
export const interval = z.tuple([measured, measured]);

/** mean ± 95% CI over seeds, the workbench's one summary convention. */
export const estimate = z.looseObject({ mean: measured, ci95: interval.nullable().default(null), n: z.number().int().default(0) });

/** Claim measurements are read by the Claims report (src-main/claims), which owns their schema. */
export const claimsField = z.unknown().optional();

export type PanelName = 'selftest' | 'geometry' | 'entropy' | 'entropynet' | 'attention' | 'sweep' | 'generic';

/** One number a run view and the runs table show for a finished run. */
export interface HeadlineField {
  /** Dotted path into the summary, e.g. "headline.end_to_end_speedup.mean". */
  path: string;
  label: string;
  /** Unit as printed after the number ('' for none). */
  unit: string;
}

/** A summary number sweeps compare children by: `key` names it in sweep tables and figures. */
export interface SweepMetricField extends HeadlineField {
  key: string;
  short?: string;
  /** A ratio of times: printed as a ratio, and "slower" below 1. */
  speedup?: boolean;
}

/** What the rest of the app needs to know of a kind's results, so that no view switches on the kind. */
export interface ResultDescriptor<S extends z.ZodType = z.ZodType> {
  kind: string;
  title: string;
  summary: S;
  /** Metric keys the kind logs (exact keys; families that carry a variable part are listed by prefix with a trailing '/'). */
  metricKeys: readonly string[];
  headline: readonly HeadlineField[];
  /** Which run panel shows it (`generic`: the metric charts and the summary table). */
  panel: PanelName;
  /** Names of the figures the kind has (as the CLI's `der figure --name` and the run view list them). */
  figures: readonly string[];
  /** For sweeps of this kind: which summary numbers a child is compared by; without it, every top-level number. */
  sweepMetrics?: readonly SweepMetricField[];
}

/** The value at a dotted path of a parsed summary, when it is a number (null otherwise). */
export function numberAt(summary: unknown, path: string): number | null {
  let v: unknown = summary;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === 'number' ? v : null;
}
