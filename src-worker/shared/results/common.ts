/**
 * What the rest of the app knows of a kind's results. The view half (`ResultView`: title, headline fields,
 * panel, figures, sweep metrics) is plain data with no zod, so the renderer reads it without carrying the
 * schemas; `ResultDescriptor` adds the summary schema for main and the worker.
 */
import type { z } from 'zod';

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
export interface ResultView {
  kind: string;
  title: string;
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

/**
 * An artifact a kind writes: its name (exact, or a pattern for families such as `gallery/<model>.json`) and,
 * for JSON artifacts, the schema main reads it with; `schema: null` marks a binary format with its own decoder.
 */
export interface ArtifactSpec {
  name: string | RegExp;
  schema: z.ZodType | null;
}

/** The view half plus the summary and artifact schemas: what main and the worker check results with. */
export interface ResultDescriptor<S extends z.ZodType = z.ZodType> extends ResultView {
  summary: S;
  /** Every artifact the kind writes; an artifact with no entry here is a bug the results test catches. */
  artifacts?: readonly ArtifactSpec[];
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
