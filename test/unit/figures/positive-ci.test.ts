import { describe, expect, it } from 'vitest';
import { positiveInterval, rebuiltNote } from '../../../src-main/figures/positive-ci';
import { ciPositive } from '../../../src-worker/shared/stats';

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
