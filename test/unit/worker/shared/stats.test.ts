import { describe, expect, it } from 'vitest';
import {
  boundedEstimate,
  boundedMeanCI,
  ciPositive,
  clipToDomain,
  FRACTION,
  NON_NEGATIVE,
  ciPositiveFromMoments,
  finiteEstimate,
  finiteMeanCI,
  linearFit,
  mean,
  meanCI,
  median,
  pairedTTest,
  positiveEstimate,
  sampleSd,
  spearman,
  summarize,
  tCritical95,
  welchTTest,
} from '../../../../src-worker/shared/stats';

describe('shared/stats', () => {
  it('mean, sd and median of a small sample by hand', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    // Σ(x − 5)² = 32, n − 1 = 7
    expect(sampleSd(x)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(median(x)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(mean([])).toBeNaN();
    expect(sampleSd([1])).toBeNaN();
  });

  it('t(0.975, df) matches the printed table, including past 30 degrees of freedom', () => {
    const table: Array<[number, number]> = [
      [1, 12.706],
      [4, 2.776],
      [10, 2.228],
      [30, 2.042],
      [40, 2.021],
      [60, 2.0],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(tCritical95(df)).toBeCloseTo(t, 3);
  });

  it('the 95% interval is mean ± t·sd/√n and null below two values', () => {
    const x = [1, 2, 3, 4, 5];
    const half = (2.7764451 * Math.sqrt(2.5)) / Math.sqrt(5);
    const s = summarize(x);
    expect(s.ci95[0]).toBeCloseTo(3 - half, 5);
    expect(s.ci95[1]).toBeCloseTo(3 + half, 5);
    expect(meanCI([7]).ci95).toBeNull();
    expect(finiteMeanCI([NaN, Infinity])).toEqual({ mean: null, ci95: null, n: 0 });
    expect(finiteMeanCI([1, NaN, 3]).n).toBe(2);
  });

  it('the log-space interval of a positive quantity stays above zero where the linear one does not', () => {
    const x = [0.05, 1, 3];
    const linear = meanCI(x).ci95!;
    expect(linear[0]).toBeLessThan(0);
    const pos = ciPositive(x)!;
    expect(pos.ci95[0]).toBeGreaterThan(0);
    expect(pos.center).toBeCloseTo(Math.cbrt(0.05 * 1 * 3), 12);
    expect(pos.ci95[0]).toBeLessThan(pos.center);
    expect(pos.ci95[1]).toBeGreaterThan(pos.center);
    // symmetric in log space: lo·hi = center²
    expect(pos.ci95[0] * pos.ci95[1]).toBeCloseTo(pos.center ** 2, 10);
    expect(() => ciPositive([1, -2])).toThrow(/not positive/);
    expect(ciPositive([2])).toBeNull();
    const fromMoments = ciPositiveFromMoments(1, 3, 3)!;
    expect(fromMoments[0]).toBeGreaterThan(0);
    expect(fromMoments[0] * fromMoments[1]).toBeCloseTo(1, 12);
    expect(ciPositiveFromMoments(0, 1, 3)).toBeNull();
  });

  it('paired t-test by hand, and its degenerate cases', () => {
    const a = [10, 12, 9, 11];
    const b = [8, 11, 9, 8];
    // d = [2, 1, 0, 3], mean 1.5, sd √(5/3), t = 1.5 / (sd/2)
    const t = 1.5 / (Math.sqrt(5 / 3) / 2);
    const r = pairedTTest(a, b);
    expect(r.t).toBeCloseTo(t, 12);
    expect(r.df).toBe(3);
    // two-sided p of t = 2.3238 with 3 df, from the t table: between 0.10 (2.353) and 0.20 (1.638)
    expect(r.p).toBeGreaterThan(0.1);
    expect(r.p).toBeLessThan(0.11);
    expect(pairedTTest([1, 2], [1, 2])).toEqual({ t: 0, df: 1, p: 1 });
    expect(pairedTTest([2, 3], [1, 2]).p).toBe(0);
    expect(() => pairedTTest([1], [1, 2])).toThrow(RangeError);
  });

  it('Welch t-test reduces to the pooled test for equal sizes and variances', () => {
    const r = welchTTest([1, 2, 3], [4, 5, 6]);
    expect(r.t).toBeCloseTo(-3 / Math.sqrt(2 / 3), 12);
    expect(r.df).toBeCloseTo(4, 12);
  });

  it('linear fit recovers an exact line and ignores non-finite pairs', () => {
    const x = [0, 1, 2, 3, NaN];
    const y = x.map((v) => 2 * v - 1);
    y[1] = Number.NaN;
    const f = linearFit(x, y);
    expect(f.points).toBe(3);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(-1, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(linearFit([1, 1], [2, 3]).slope).toBeNull();
  });

  it('Spearman ρ of monotone, reversed and tied data', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // textbook: 1 − 6Σd²/(n(n²−1)) with d = [0, 0, 1, −1, 0] → 1 − 12/120 = 0.9
    expect(spearman([1, 2, 3, 4, 5], [1, 2, 4, 3, 5])).toBeCloseTo(0.9, 12);
    expect(spearman([1, 2], [1, 2])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('intervals of bounded quantities', () => {
  it('cut the t-interval to the domain and leave the mean and an interval inside it alone', () => {
    const wide = meanCI([0.001, 0.2]);
    expect(wide.ci95![0]).toBeLessThan(0);
    const cut = boundedMeanCI([0.001, 0.2], NON_NEGATIVE);
    expect(cut.mean).toBe(wide.mean);
    expect(cut.ci95).toEqual([0, wide.ci95![1]]);
    expect(boundedMeanCI([0.1, 0.95], FRACTION).ci95).toEqual([0, 1]);
    expect(boundedMeanCI([0.5, 0.51, 0.52], FRACTION).ci95).toEqual(meanCI([0.5, 0.51, 0.52]).ci95);
    expect(boundedMeanCI([0.3], FRACTION).ci95).toBeNull();
    expect(clipToDomain([-3, -1], NON_NEGATIVE)).toEqual([0, 0]);
    const e = boundedEstimate([0, 0.02, NaN], NON_NEGATIVE);
    expect(e.n).toBe(2);
    expect(e.ci95[0]).toBe(0);
    expect(boundedEstimate([1], NON_NEGATIVE).ci95.every(Number.isNaN)).toBe(true);
  });
});

describe('seed estimates', () => {
  it('a time keeps its arithmetic mean with the delta-method log interval; a speedup takes the geometric mean', () => {
    const times = [2, 4, 9];
    const t = positiveEstimate(times, 'mean');
    expect(t.mean).toBeCloseTo(5, 12);
    const h = (tCritical95(2) * (sampleSd(times) / 5)) / Math.sqrt(3);
    expect(t.ci95[0]).toBeCloseTo(5 * Math.exp(-h), 12);
    expect(t.ci95[1]).toBeCloseTo(5 * Math.exp(h), 12);
    const ratios = positiveEstimate([0.5, 2], 'geometric');
    expect(ratios.mean).toBeCloseTo(1, 12);
    expect(ratios.ci95[0]).toBeGreaterThan(0);
  });

  it('falls back to the plain interval with a non-positive value, and is NaN where there is nothing to estimate', () => {
    expect(positiveEstimate([-1, 1, 3], 'mean')).toEqual(finiteEstimate([-1, 1, 3]));
    expect(finiteEstimate([1, 3]).ci95[0]).toBeCloseTo(2 - tCritical95(1) * Math.SQRT2 / Math.SQRT2, 9);
    const none = finiteEstimate([NaN]);
    expect(none.mean).toBeNaN();
    expect(none.n).toBe(0);
    expect(positiveEstimate([4], 'geometric').ci95.every(Number.isNaN)).toBe(true);
  });
});
