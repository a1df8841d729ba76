/**
 * One run of a kind, held to its results schema: the value the run returns is checked against the kind's
 * summary schema (src-worker/shared/results) before it may leave the worker as `done`; a value outside the
 * schema ends the run as an error that names each zod issue. The worker entry sends what this returns.
 */
import { checkSummary, formatIssues } from './shared/results';
import type { ExperimentContext, ExperimentRun } from './experiments/types';

export type RunOutcome = { type: 'done'; summary: Record<string, unknown> } | { type: 'error'; message: string };

export async function runChecked(kind: string, run: ExperimentRun<never, Record<string, unknown>>, config: unknown, ctx: ExperimentContext): Promise<RunOutcome> {
  const summary = await run(config as never, ctx);
  const checked = checkSummary(kind, summary);
  if (!checked.ok) return { type: 'error', message: `the ${kind} result does not match its schema: ${formatIssues(checked.issues)}` };
  return { type: 'done', summary };
}
