/**
 * Every kind's results, by kind: the registry main and the worker check and read summaries through (the
 * renderer reads the zod-free half, views.ts). A new kind adds its results file, its view, and one line here.
 */
import type { z } from 'zod';
import { attentionTrainResults } from './attention-train';
import type { ArtifactSpec, ResultDescriptor } from './common';
import { registerView } from './views';
import { entropyValidationResults } from './entropy-validation';
import { entropynetTrainResults } from './entropynet-train';
import { geometryTimingResults } from './geometry-timing';
import { selftestResults } from './selftest';
import { sweepResults } from './sweep';
import { theoryChecksResults } from './theory-checks';

export * from './common';
export * from './schema-parts';
export { viewOf } from './views';

const registry = new Map<string, ResultDescriptor>();

export function registerResults(d: ResultDescriptor): void {
  if (registry.has(d.kind)) throw new Error(`results of kind ${d.kind} are registered twice`);
  registry.set(d.kind, d);
  registerView(d);
}

for (const d of [selftestResults, geometryTimingResults, entropyValidationResults, entropynetTrainResults, attentionTrainResults, theoryChecksResults, sweepResults] as ResultDescriptor[]) registerResults(d);

/** The descriptor of a kind, or null for a kind without one (its summary is shown as it is). */
export function resultsOf(kind: string): ResultDescriptor | null {
  return registry.get(kind) ?? null;
}

export function registeredKinds(): string[] {
  return [...registry.keys()];
}

export type SummaryCheck = { ok: true; summary: Record<string, unknown> } | { ok: false; issues: z.core.$ZodIssue[] };

/** The worker's check before `done`: the kind's schema, strict about the fields it names. */
export function checkSummary(kind: string, summary: unknown): SummaryCheck {
  const d = resultsOf(kind);
  if (!d) return typeof summary === 'object' && summary !== null ? { ok: true, summary: summary as Record<string, unknown> } : { ok: false, issues: [] };
  const r = d.summary.safeParse(summary);
  return r.success ? { ok: true, summary: r.data as Record<string, unknown> } : { ok: false, issues: r.error.issues };
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(summary)'}: ${i.message}`).join('; ');
}

/**
 * Main's reading of a stored summary: the kind's schema with its defaults filled in; a summary the schema
 * cannot read (an older or foreign layout) is returned as stored, never dropped.
 */
export function readSummary<T extends Record<string, unknown> | null>(kind: string, summary: T): T {
  if (summary === null) return summary;
  const r = checkSummary(kind, summary);
  return (r.ok ? r.summary : summary) as T;
}

/** The declared artifact of a kind that `name` is (exact name or pattern), or null when the kind declares none. */
export function artifactSpecOf(kind: string, name: string): ArtifactSpec | null {
  const specs = resultsOf(kind)?.artifacts ?? [];
  return specs.find((a) => (typeof a.name === 'string' ? a.name === name : a.name.test(name))) ?? null;
}

export type ArtifactCheck = { ok: true; value: unknown } | { ok: false; issues: z.core.$ZodIssue[] | null };

/**
 * A JSON artifact's value against its kind's schema; `issues: null` when the kind declares no artifact of
 * that name (or declares it binary), so callers can tell "unknown" from "does not match".
 */
export function checkArtifact(kind: string, name: string, value: unknown): ArtifactCheck {
  const spec = artifactSpecOf(kind, name);
  if (!spec?.schema) return { ok: false, issues: null };
  const r = spec.schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: r.error.issues };
}

/** Main's reading of a stored JSON artifact, like `readSummary`: parsed with defaults, or as stored when unreadable. */
export function readArtifact(kind: string, name: string, value: unknown): unknown {
  const r = checkArtifact(kind, name, value);
  return r.ok ? r.value : value;
}
