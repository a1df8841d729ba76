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
  /** Which of `sweepMetrics` the sweep's table shows (by key); without it, the first ten. */
  sweepTable?: readonly string[];
  /** A note under the sweep's table: how its numbers were taken. */
  sweepNote?: string;
  /** Summary fields the run page's summary table shows as a short line because the kind's panel shows them. */
  summaryFolds?: readonly SummaryFold[];
}

/**
 * How a folded summary field reads: `count` → "<array length> <text>", `keys` → "<number of keys> <text>",
 * `text` → the text alone. A field whose value is not of the fold's shape is shown as it is.
 */
export interface SummaryFold {
  field: string;
  as: 'count' | 'keys' | 'text';
  text: string;
}

/** The summary with its folded fields replaced by their short lines (the same object when nothing folds). */
export function foldSummary(summary: Record<string, unknown>, folds: readonly SummaryFold[] | undefined): Record<string, unknown> {
  if (!folds?.length) return summary;
  const out: Record<string, unknown> = { ...summary };
  for (const f of folds) {
    const v = summary[f.field];
    if (f.as === 'count' && Array.isArray(v)) out[f.field] = `${v.length} ${f.text}`;
    else if (f.as === 'keys' && typeof v === 'object' && v !== null) out[f.field] = `${Object.keys(v).length} ${f.text}`;
    else if (f.as === 'text' && v !== undefined) out[f.field] = f.text;
  }
  return out;
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
