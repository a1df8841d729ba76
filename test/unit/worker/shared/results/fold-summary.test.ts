import { describe, expect, it } from 'vitest';
import { foldSummary } from '../../../../../src-worker/shared/results/common';
import { viewOf } from '../../../../../src-worker/shared/results/views';

describe('foldSummary: fields a panel shows read as a short line in the summary table', () => {
  it('counts arrays, counts keys, replaces by text, and leaves a field of another shape as it is', () => {
    const folds = viewOf('attention-train')?.summaryFolds;
    const summary = { table: [1, 2, 3], protocol: { model: 'tiny' }, columns: { a: 1, b: 2 }, claims: 'not an array', wallSeconds: 12 };
    expect(foldSummary(summary, folds)).toEqual({
      table: '3 rows (table above)',
      protocol: 'see the protocol box above',
      columns: '2 columns',
      claims: 'not an array',
      wallSeconds: 12,
    });
    expect(summary.table).toEqual([1, 2, 3]);
  });

  it('returns the summary itself for a kind without folds', () => {
    const summary = { final_loss: 0.1 };
    expect(foldSummary(summary, viewOf('selftest')?.summaryFolds)).toBe(summary);
    expect(foldSummary(summary, undefined)).toBe(summary);
  });

  it('every fold of every kind names a field its view can fold', () => {
    for (const kind of ['sweep', 'geometry-timing', 'entropy-validation', 'entropynet-train', 'attention-train']) {
      const folds = viewOf(kind)?.summaryFolds ?? [];
      expect(folds.length, kind).toBeGreaterThan(0);
      for (const f of folds) expect(f.text.length, `${kind}.${f.field}`).toBeGreaterThan(0);
    }
  });
});
