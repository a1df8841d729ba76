import { describe, expect, it } from 'vitest';
import { positiveInterval, rebuiltNote } from '../../../../src-main/figures/positive-ci';
import { ciPositive } from '../../../../src-worker/shared/stats';

describe('positiveInterval', () => {
  it('keeps a stored interval that stays above 0', () => {
    expect(positiveInterval(2, [1.5, 2.5])).toEqual({ ci: [1.5, 2.5], source: 'stored' });
  });

  it('rebuilds one that reaches ≤ 0 from the per-seed values, in log space around the mean', () => {
    const seeds = [0.05, 0.9, 0.3];
    const iv = positiveInterval(0.261, [0.261 - 0.46, 0.261 + 0.46], seeds);
    expect(iv.source).toBe('log-space');
    const c = ciPositive(seeds)!;
    expect(iv.ci![0]).toBeGreaterThan(0);
    // Same width in log space as the per-seed interval.
    expect(Math.log(iv.ci![1] / iv.ci![0])).toBeCloseTo(Math.log(c.ci95[1] / c.ci95[0]), 12);
  });

  it('without per-seed values, from the half-width by the delta method', () => {
    const iv = positiveInterval(0.09, [-0.087, 0.27]);
    const h = (0.27 + 0.087) / 2 / 0.09;
    expect(iv.ci![0]).toBeCloseTo(0.09 * Math.exp(-h), 12);
    expect(iv.ci![1]).toBeCloseTo(0.09 * Math.exp(h), 12);
    expect(iv.ci![0]).toBeGreaterThan(0);
  });

  it('has nothing to draw for a missing or non-positive mean or a missing interval', () => {
    expect(positiveInterval(null, [1, 2]).source).toBe('none');
    expect(positiveInterval(-1, [-2, 0]).source).toBe('none');
    expect(positiveInterval(1, [null, null]).source).toBe('none');
    expect(rebuiltNote(0)).toBe('');
    expect(rebuiltNote(2)).toMatch(/2 CIs reached ≤ 0/);
  });
});

describe('sweep whiskers of a speedup', () => {
  it('never reach ≤ 0, whatever the stored interval', async () => {
    const { sweepBarsOption, sweepDimensions, sweepMetrics } = await import('../../../../src-main/figures/sweep');
    const summary = (lo: number) => ({ headline: { end_to_end_speedup: { mean: 0.09, ci95: [lo, 0.27], n: 3 }, algorithm_speedup: { mean: 2, ci95: [1.5, 2.5], n: 3 }, hull_error_pct: { mean: 20, ci95: [18, 22], n: 3 } }, final_validation: {} });
    const dims = sweepDimensions({ grid: {}, variants: [{ variant: 'a' }, { variant: 'b' }] });
    const children = [
      { runId: 'a', params: { variant: 'a' }, status: 'done', error: null, summary: summary(-0.087) },
      { runId: 'b', params: { variant: 'b' }, status: 'done', error: null, summary: summary(0.05) },
    ];
    const metric = sweepMetrics('entropynet-train', children).find((m) => m.key === 'end_to_end_speedup')!;
    const data = (sweepBarsOption('entropynet-train', children, dims[0], metric).series as Array<{ data: Array<{ value: number[] }> }>)[0].data;
    for (const d of data) expect(d.value[2]).toBeGreaterThan(0);
    expect(data[1].value[2]).toBe(0.05);
  });
});
