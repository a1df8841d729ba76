import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { incompleteBeta, logGamma, tCdf, tQuantile, tTwoSidedTail } from '../../../../src-worker/shared/student-t';

describe('Student t', () => {
  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    for (let n = 1; n <= 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 12);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b', () => {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      for (const a of [0.5, 2, 7.5]) expect(incompleteBeta(x, a, 1)).toBeCloseTo(x ** a, 13);
      for (const b of [0.5, 3, 11]) expect(incompleteBeta(x, 1, b)).toBeCloseTo(1 - (1 - x) ** b, 13);
    }
  });

  it('quantiles equal the closed forms for 1 and 2 degrees of freedom', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995, 0.99999, 0.025]) {
      expect(tQuantile(p, 1) / Math.tan(Math.PI * (p - 0.5))).toBeCloseTo(1, 10);
      expect(tQuantile(p, 2) / ((2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeCloseTo(1, 10);
    }
    expect(tQuantile(0.5, 3)).toBe(0);
  });

  it('agrees with jStat (whose incomplete beta stops at 3e-7) for integer and fractional df', () => {
    for (const df of [1, 1.5, 2.7, 4, 7.3, 19, 31, 32, 60, 1000]) {
      for (const p of [0.9, 0.95, 0.975, 0.995]) expect(Math.abs(tQuantile(p, df) / jStat.studentt.inv(p, df) - 1)).toBeLessThan(1e-6);
      for (const t of [0.2, 1, 2.5, 6]) expect(Math.abs(tCdf(t, df) - jStat.studentt.cdf(t, df))).toBeLessThan(1e-6);
    }
  });

  it('inverts its own CDF and keeps tails far out', () => {
    for (const df of [1, 3, 9.5, 40]) for (const p of [0.55, 0.975, 0.9999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 12);
    expect(tTwoSidedTail(60, 5)).toBeGreaterThan(0);
    expect(tTwoSidedTail(60, 5)).toBeLessThan(1e-7);
    expect(tTwoSidedTail(Infinity, 5)).toBe(0);
    expect(tQuantile(0.975, 0)).toBeNaN();
    expect(tCdf(NaN, 3)).toBeNaN();
  });
});
