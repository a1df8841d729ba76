/**
 * The workbench's one copy of its statistics: mean, sample sd, median, Student-t 95% intervals (quantiles
 * from student-t.ts), paired and Welch t-tests (G.13: "paired t-tests across 5 random seeds"), least squares and
 * Spearman's ρ. Pure: workers, main and the renderer all import it.
 */
import { tQuantile, tTwoSidedTail } from './student-t';

export { tQuantile };

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length > 0 ? s / xs.length : NaN;
}

/** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
export function sampleSd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - m) * (xs[i] - m);
  return Math.sqrt(ss / (n - 1));
}

export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Two-sided 95% Student-t critical value t(0.975, df). */
export function tCritical95(df: number): number {
  return tQuantile(0.975, df);
}

export interface Summary {
  n: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  /** mean ± t(0.975, n−1)·sd/√n; [NaN, NaN] when n < 2. */
  ci95: [number, number];
}

export function summarize(samples: ArrayLike<number>): Summary {
  const n = samples.length;
  const m = mean(samples);
  const sd = sampleSd(samples);
  const half = n >= 2 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : NaN;
  return { n, median: median(samples), mean: m, sd, ci95: [m - half, m + half] };
}

/** A mean with its 95% interval [lo, hi] (the workbench's one convention); ci95 is null when n < 2. */
export type MeanCI = {
  mean: number;
  ci95: [number, number] | null;
  n: number;
};

/** mean and [mean ∓ t(0.975, n−1)·sd/√n] of the values as given (NaN propagates). */
export function meanCI(values: ArrayLike<number>): MeanCI {
  const s = summarize(values);
  return { mean: s.mean, ci95: s.n >= 2 ? [s.ci95[0], s.ci95[1]] : null, n: s.n };
}

/** The closed range a quantity cannot leave: a percentage, a fraction, a non-negative amount. */
export type Domain = readonly [number, number];
export const NON_NEGATIVE: Domain = [0, Infinity];
export const PERCENT: Domain = [0, 100];
export const FRACTION: Domain = [0, 1];

/** An interval cut to the quantity's domain (the true mean lies in it), so a CI of an entropy never reaches below 0. */
export function clipToDomain(ci: readonly [number, number], domain: Domain): [number, number] {
  return [Math.min(domain[1], Math.max(domain[0], ci[0])), Math.max(domain[0], Math.min(domain[1], ci[1]))];
}

/** `meanCI` of a bounded quantity: the t-interval cut to its domain. */
export function boundedMeanCI(values: ArrayLike<number>, domain: Domain): MeanCI {
  const m = meanCI(values);
  return m.ci95 ? { ...m, ci95: clipToDomain(m.ci95, domain) } : m;
}

/** `meanCI` of the finite values only; mean is null when none is finite. */
export function finiteMeanCI(values: readonly number[]): { mean: number | null; ci95: [number, number] | null; n: number } {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: null, ci95: null, n: 0 };
  return meanCI(v);
}

/**
 * 95% interval of a positive quantity (a time, a speedup, a ratio) built in log space, so it never reaches
 * zero or below: exp(mean(ln x) ∓ t(0.975, n−1)·sd(ln x)/√n) around the geometric mean. Null when fewer than
 * two values are positive and finite; non-positive values are an error, not silently dropped.
 */
export function ciPositive(values: readonly number[]): { center: number; ci95: [number, number]; n: number } | null {
  const v = values.filter((x) => Number.isFinite(x));
  for (const x of v) if (!(x > 0)) throw new RangeError(`ciPositive: ${x} is not positive`);
  if (v.length < 2) return null;
  const logs = v.map(Math.log);
  const s = summarize(logs);
  return { center: Math.exp(s.mean), ci95: [Math.exp(s.ci95[0]), Math.exp(s.ci95[1])], n: s.n };
}

/**
 * The same log-space interval when only the arithmetic mean, sd and n of a positive quantity are known (a
 * stored summary): the delta method gives sd(ln x) ≈ sd/mean, so the interval is
 * [mean·e^(−h), mean·e^(+h)] with h = t(0.975, n−1)·(sd/mean)/√n. Null when it is undefined.
 */
export function ciPositiveFromMoments(m: number, sd: number, n: number): [number, number] | null {
  if (!(m > 0) || !(sd >= 0) || !(n >= 2) || !Number.isFinite(m) || !Number.isFinite(sd)) return null;
  const h = (tCritical95(n - 1) * (sd / m)) / Math.sqrt(n);
  return [m * Math.exp(-h), m * Math.exp(h)];
}

/** Mean and 95% interval over seeds as a pipeline row keeps them in memory: NaN where there is no number. */
export type SeedEstimate = { mean: number; ci95: [number, number]; n: number };

/** The mean of the finite values with its Student-t interval ([NaN, NaN] below two values). */
export function finiteEstimate(values: readonly number[]): SeedEstimate {
  const s = summarize(values.filter((v) => Number.isFinite(v)));
  return { mean: s.mean, ci95: s.ci95, n: s.n };
}

/** `finiteEstimate` of a bounded quantity (a hull error, a distance, a fraction): the interval cut to its domain. */
export function boundedEstimate(values: readonly number[], domain: Domain): SeedEstimate {
  const e = finiteEstimate(values);
  return Number.isFinite(e.ci95[0]) && Number.isFinite(e.ci95[1]) ? { ...e, ci95: clipToDomain(e.ci95, domain) } : e;
}

/**
 * A time or a speedup over seeds: it cannot go below zero, so its 95% interval is built in log space (a
 * symmetric t-interval reached [−0.087, 0.27] for a speedup of 0.09). Times keep their arithmetic mean with the
 * delta-method log interval around it; speedups are ratios and take the geometric mean of the per-seed ratios.
 * Any non-positive value falls back to the plain interval.
 */
export function positiveEstimate(values: readonly number[], centre: 'mean' | 'geometric'): SeedEstimate {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length !== values.filter((v) => Number.isFinite(v)).length) return finiteEstimate(values);
  if (centre === 'geometric') {
    const ci = ciPositive(finite);
    return ci ? { mean: ci.center, ci95: ci.ci95, n: ci.n } : finiteEstimate(finite);
  }
  const s = summarize(finite);
  const ci = ciPositiveFromMoments(s.mean, sampleSd(finite), s.n);
  return { mean: s.mean, ci95: ci ?? s.ci95, n: s.n };
}

export interface TTest {
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/** Two-sided p-value of a t statistic with `df` degrees of freedom (0 for ±∞, NaN for NaN). */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return tTwoSidedTail(t, df);
}

/**
 * Paired t-test of H₀: mean(a − b) = 0, with t = d̄ / (s_d/√n), df = n − 1. Pairs are the seeds (G.13).
 * Identical samples give t = 0, p = 1; constant non-zero differences give t = ±∞, p = 0.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTest {
  if (a.length !== b.length) throw new RangeError(`pairedTTest: ${a.length} vs ${b.length} samples`);
  const n = a.length;
  if (n < 2) return { t: NaN, df: n - 1, p: NaN };
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const md = mean(d);
  const sd = sampleSd(d);
  const df = n - 1;
  if (sd === 0) return md === 0 ? { t: 0, df, p: 1 } : { t: md > 0 ? Infinity : -Infinity, df, p: 0 };
  const t = md / (sd / Math.sqrt(n));
  return { t, df, p: tTwoSidedP(t, df) };
}

/** Welch's unequal-variance t-test: t = (ā − b̄)/√(s²ₐ/nₐ + s²_b/n_b), df by Welch–Satterthwaite. */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTest {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return { t: NaN, df: NaN, p: NaN };
  const va = sampleSd(a) ** 2 / na;
  const vb = sampleSd(b) ** 2 / nb;
  const diff = mean(a) - mean(b);
  const se2 = va + vb;
  if (se2 === 0) return diff === 0 ? { t: 0, df: na + nb - 2, p: 1 } : { t: diff > 0 ? Infinity : -Infinity, df: na + nb - 2, p: 0 };
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  return { t, df, p: tTwoSidedP(t, df) };
}

export type LinearFit = {
  slope: number | null;
  intercept: number | null;
  r2: number | null;
  /** Finite pairs the fit used. */
  points: number;
};

function finitePairs(x: readonly number[], y: readonly number[]): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return [xs, ys];
}

/** Ordinary least squares y ≈ slope·x + intercept over the finite pairs, R² = 1 − SS_res/SS_tot (null when undefined). */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const [xs, ys] = finitePairs(x, y);
  const n = xs.length;
  if (n < 2) return { slope: null, intercept: null, r2: null, points: n };
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return { slope: null, intercept: null, r2: null, points: n };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) ssRes += (ys[i] - slope * xs[i] - intercept) ** 2;
  return { slope, intercept, r2: syy > 0 ? 1 - ssRes / syy : null, points: n };
}

/** Average ranks (ties share the mean of their positions), 0-based. */
export function ranks(v: readonly number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(v.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
    for (let t = s; t <= e; t++) r[order[t]] = (s + e) / 2;
    s = e + 1;
  }
  return r;
}

/** Spearman rank correlation (Pearson on average ranks) of the finite pairs; null with fewer than 3 or a constant side. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  const [xs, ys] = finitePairs(x, y);
  if (xs.length < 3) return null;
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}
