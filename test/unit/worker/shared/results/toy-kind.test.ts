import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { childMetric, sweepMetrics } from '../../../../../src-main/figures/sweep';
import { checkSummary, formatIssues, measured, numberAt, readSummary, registerResults, resultsOf, type ResultDescriptor } from '../../../../../src-worker/shared/results';

/** A kind that exists only in this test: its results file is these lines, its registration one call. */
const toySummary = z.looseObject({ widgets: z.number().int(), yield_pct: measured, speedup: z.looseObject({ mean: measured, ci95: z.tuple([measured, measured]).nullable() }).optional() });
const toyResults: ResultDescriptor<typeof toySummary> = {
  kind: 'toy-widgets',
  title: 'Toy widgets',
  summary: toySummary,
  metricKeys: ['widgets/'],
  headline: [{ path: 'yield_pct', label: 'yield', unit: '%' }],
  panel: 'generic',
  figures: ['metrics'],
  sweepMetrics: [{ key: 'speedup', path: 'speedup', label: 'Widget speedup', unit: '×', speedup: true }],
};

describe('a new kind registers its results and every reader follows', () => {
  registerResults(toyResults);

  it('the registry knows it, and refuses a second registration of the same kind', () => {
    expect(resultsOf('toy-widgets')?.title).toBe('Toy widgets');
    expect(() => registerResults(toyResults)).toThrow(/twice/);
  });

  it('the worker check passes its results and names the field of a bad one', () => {
    expect(checkSummary('toy-widgets', { widgets: 3, yield_pct: 97.5 }).ok).toBe(true);
    const bad = checkSummary('toy-widgets', { widgets: 2.5, yield_pct: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(formatIssues(bad.issues)).toMatch(/^widgets: /);
  });

  it('main reads its summaries and its headline, and sweeps compare the metric it declares', () => {
    const s = readSummary('toy-widgets', { widgets: 3, yield_pct: 97.5, extra: 'kept' });
    expect(s).toEqual({ widgets: 3, yield_pct: 97.5, extra: 'kept' });
    expect(numberAt(s, resultsOf('toy-widgets')!.headline[0].path)).toBe(97.5);
    const children = [1.5, 2.5].map((m, i) => ({ runId: `c${i}`, params: {}, status: 'done', error: null, summary: { widgets: 1, yield_pct: 1, speedup: { mean: m, ci95: [m - 0.5, m + 0.5] } } }));
    expect(sweepMetrics('toy-widgets', children).map((m) => m.key)).toEqual(['speedup']);
    expect(childMetric('toy-widgets', children[1].summary, 'speedup')?.mean).toBe(2.5);
  });
});
