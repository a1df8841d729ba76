import { describe, expect, it } from 'vitest';
import { farOutliers, hostInfo, medianCi95, pairedTTest, repeatReport, summarize, tCritical95, timeIt, welchTTest } from '../../../../src-worker/geometry/timing';

// Student's (1908) sleep data, as in R's `sleep`: extra hours of sleep under two drugs, 10 patients.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('summaries', () => {
  it('median, mean, sd and the Student-t 95% interval match hand computation', () => {
    // mean 3, sd √2.5, t(0.975, 4) = 2.776445, half-width = 2.776445·√2.5/√5 = 1.963243
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s.n).toBe(5);
    expect(s.median).toBe(3);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.ci95[0]).toBeCloseTo(3 - 1.963243, 5);
    expect(s.ci95[1]).toBeCloseTo(3 + 1.963243, 5);
    expect(summarize([1, 2, 3, 4]).median).toBe(2.5);
    expect(tCritical95(1000)).toBeCloseTo(1.962339, 5);
  });
  it('a single sample has no spread', () => {
    const s = summarize([7]);
    expect(s.mean).toBe(7);
    expect(s.sd).toBeNaN();
  });
});

describe('t-tests against a textbook value', () => {
  it('paired: sleep data t = −4.0621, df = 9, p = 0.002833 (R: t.test(paired = TRUE))', () => {
    const r = pairedTTest(drug1, drug2);
    expect(r.t).toBeCloseTo(-4.0621, 4);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002833, 5);
  });
  it('Welch: sleep data t = −1.8608, df = 17.776, p = 0.07939 (R: t.test())', () => {
    const r = welchTTest(drug1, drug2);
    expect(r.t).toBeCloseTo(-1.8608, 4);
    expect(r.df).toBeCloseTo(17.776, 3);
    expect(r.p).toBeCloseTo(0.07939, 5);
  });
  it('degenerate differences', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3])).toEqual({ t: 0, df: 2, p: 1 });
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
    expect(() => pairedTTest([1], [1, 2])).toThrow(RangeError);
  });
});

describe('timeIt', () => {
  it('warms up, then records up to `repeats` samples', () => {
    let calls = 0;
    const r = timeIt(() => ++calls, { warmup: 4, repeats: 10 });
    expect(r.warmupCalls).toBeGreaterThanOrEqual(4);
    expect(calls).toBe(r.warmupCalls + 10);
    expect(r.samples.length).toBe(10);
    expect(r.truncated).toBe(false);
    expect(r.samples.every((s) => s >= 0)).toBe(true);
  });
  it('stops at the time budget but keeps the minimum', () => {
    const busy = (): number => {
      const t = performance.now();
      while (performance.now() - t < 2);
      return 0;
    };
    const r = timeIt(busy, { warmup: 0, repeats: 1000, budgetMs: 10 });
    expect(r.truncated).toBe(true);
    expect(r.samples.length).toBeGreaterThanOrEqual(3);
    expect(r.samples.length).toBeLessThan(20);
  });
  it('warms up until the per-call time settles: slow first calls never become samples', () => {
    let calls = 0;
    const busy = (ms: number): void => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    // Calls get cheaper until the 4th (8, 4, 2, then 1 ms): a JIT tiering up, caches filling. Two windows of
    // three calls must agree before sampling, so no sample can come from the first 6 calls. Only call counts
    // are asserted: wall-clock magnitudes are at the mercy of the machine's load.
    const r = timeIt(() => busy(Math.max(1, 8 * 0.5 ** calls++)), { warmup: 3, repeats: 5, maxWarmupMs: 5000 });
    expect(r.steady).toBe(true);
    expect(r.warmupCalls).toBeGreaterThanOrEqual(7);
    expect(calls).toBe(r.warmupCalls + 5);
  });
  it('afterCall runs after every warm-up call and every sample, between calls, with the counts so far', () => {
    const seen: string[] = [];
    let calls = 0;
    const r = timeIt(() => seen.push(`call ${++calls}`), {
      warmup: 2,
      repeats: 4,
      afterCall: (warmupCalls, samples, lastMs) => {
        expect(lastMs).toBeGreaterThanOrEqual(0);
        seen.push(`after ${warmupCalls}/${samples}`);
      },
    });
    const w = r.warmupCalls;
    expect(w).toBeGreaterThanOrEqual(2);
    const expected: string[] = [];
    for (let i = 1; i <= w; i++) expected.push(`call ${i}`, `after ${i}/0`);
    for (let j = 1; j <= 4; j++) expected.push(`call ${w + j}`, `after ${w}/${j}`);
    expect(seen).toEqual(expected);
  });
  it('the warm-up is bounded', () => {
    let calls = 0;
    // Ever slower calls never settle; the bound stops the warm-up anyway.
    const r = timeIt(() => {
      const t = performance.now();
      while (performance.now() - t < 0.2 * 1.5 ** Math.min(++calls, 12));
    }, { warmup: 1, repeats: 3, maxWarmupMs: 20 });
    expect(r.steady).toBe(false);
    expect(r.samples.length).toBe(3);
  });
  it('flags far-out samples, and the median interval stays positive', () => {
    expect(farOutliers([1, 1.1, 0.9, 1, 1.05, 30])).toEqual([5]);
    expect(farOutliers([1, 2, 3])).toEqual([]);
    const xs = [6.9, 0.21, 0.2, 0.22, 0.19, 0.21, 0.2, 0.23, 0.2, 0.21, 0.2, 0.22];
    const ci = medianCi95(xs)!;
    expect(ci[0]).toBeGreaterThan(0);
    expect(ci[0]).toBeLessThanOrEqual(0.205);
    expect(ci[1]).toBeGreaterThanOrEqual(0.205);
    expect(ci[1]).toBeLessThan(1);
    // The Student-t interval of the mean of the same samples reaches below zero.
    expect(summarize(xs).ci95[0]).toBeLessThan(0);
    const rep = repeatReport({ samples: xs, truncated: false, warmupCalls: 3, steady: true, outliers: farOutliers(xs) });
    expect(rep.bestMs).toBe(0.19);
    expect(rep.medianMs).toBeCloseTo(0.21, 12);
    expect(rep.outliers).toBe(1);
    expect(rep.geoMeanCi95Ms![0]).toBeGreaterThan(0);
  });
  it('hostInfo names the CPU, cores and Node version', () => {
    const h = hostInfo();
    expect(h.cores).toBeGreaterThan(0);
    expect(h.node).toBe(process.version);
    expect(typeof h.cpuModel).toBe('string');
  });
});
