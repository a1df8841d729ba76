/**
 * Trustworthy timing: warm-up, repeats capped by a time budget, summaries with Student-t intervals, and paired
 * and Welch t-tests whose p-values come from jStat's t distribution (G.13: "paired t-tests across 5 random
 * seeds, report p-values"; §4: "one thousand runs with warmup").
 */
import os from 'node:os';
import { ciPositive, tCritical95, tTwoSidedP } from '../shared/stats';

export interface TimeItOptions {
  /** Fewest untimed calls first (default 3); warm-up then goes on until the per-call time is stable. */
  warmup?: number;
  /** Bound on the warm-up past `warmup` calls, in ms (default: `budgetMs`, else 1000). */
  maxWarmupMs?: number;
  /** Wanted samples (default 1000, the paper's count). */
  repeats?: number;
  /** Stop adding samples once this much time has been spent measuring (default: no limit). */
  budgetMs?: number;
  /** Fewest samples even when the budget is exhausted (default 3, enough for a t interval). */
  minRepeats?: number;
  /** Checked between samples; an aborted signal ends the measurement early. */
  signal?: AbortSignal;
}

export interface TimeItResult {
  /** Milliseconds per call, in the order measured. */
  samples: number[];
  /** True when the budget (or the signal) stopped the measurement before `repeats`. */
  truncated: boolean;
  /** Untimed calls made before the first sample. */
  warmupCalls: number;
  /** False when the warm-up bound ran out before the per-call time settled. */
  steady: boolean;
  /** Indices of samples outside Tukey's far-out fences (quartile ∓ 3·IQR): flagged, never dropped. */
  outliers: number[];
}

/** Warm-up window: the median of the last WINDOW calls within STEADY_TOLERANCE of the WINDOW before. */
const WINDOW = 3;
const STEADY_TOLERANCE = 0.1;
const MAX_WARMUP_CALLS = 1000;

/**
 * Times `fn` with the monotonic `performance.now()`. Warm-up runs at least `warmup` calls, then continues until
 * the per-call time settles (a cold first call at n = 2·10⁴ was 30× the median: JIT tiers, caches, page faults),
 * bounded by `maxWarmupMs`. What `fn` returns is kept in a sink, so the engine cannot drop the call as dead code.
 */
export function timeIt(fn: () => unknown, opts: TimeItOptions = {}): TimeItResult {
  const warmup = opts.warmup ?? 3;
  const repeats = opts.repeats ?? 1000;
  const budget = opts.budgetMs ?? Infinity;
  const maxWarmupMs = opts.maxWarmupMs ?? (Number.isFinite(budget) ? budget : 1000);
  const minRepeats = Math.min(repeats, opts.minRepeats ?? 3);
  let sink: unknown = undefined;
  const warm: number[] = [];
  let warmSpent = 0;
  let steady = false;
  while (warm.length < MAX_WARMUP_CALLS && !opts.signal?.aborted) {
    if (warm.length >= Math.max(warmup, 2 * WINDOW)) {
      const last = median(warm.slice(-WINDOW));
      const before = median(warm.slice(-2 * WINDOW, -WINDOW));
      if (Math.abs(last - before) <= STEADY_TOLERANCE * before) {
        steady = true;
        break;
      }
    }
    if (warm.length >= warmup && warmSpent >= maxWarmupMs) break;
    const t0 = performance.now();
    sink = fn();
    const dt = performance.now() - t0;
    warm.push(dt);
    warmSpent += dt;
  }
  const samples: number[] = [];
  let spent = 0;
  let truncated = false;
  for (let r = 0; r < repeats; r++) {
    if (samples.length >= minRepeats && (spent >= budget || opts.signal?.aborted)) {
      truncated = true;
      break;
    }
    const t0 = performance.now();
    sink = fn();
    const dt = performance.now() - t0;
    samples.push(dt);
    spent += dt;
  }
  timingSink.value = sink;
  return { samples, truncated, warmupCalls: warm.length, steady, outliers: farOutliers(samples) };
}

/** Indices of values outside [Q1 − 3·IQR, Q3 + 3·IQR] (Tukey's far-out fences); none below 4 values. */
export function farOutliers(xs: readonly number[]): number[] {
  if (xs.length < 4) return [];
  const s = Float64Array.from(xs).sort();
  const q = (p: number): number => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
  };
  const q1 = q(0.25);
  const q3 = q(0.75);
  const iqr = q3 - q1;
  const out: number[] = [];
  xs.forEach((x, i) => {
    if (x < q1 - 3 * iqr || x > q3 + 3 * iqr) out.push(i);
  });
  return out;
}

/**
 * Distribution-free 95% interval of the median: order statistics at ranks n/2 ∓ 0.98·√n (normal approximation
 * to Binomial(n, ½)), so it lies within the samples and a time's interval never goes negative. Null below 6
 * samples, where no pair of order statistics reaches 95%.
 */
export function medianCi95(xs: readonly number[]): [number, number] | null {
  const n = xs.length;
  if (n < 6) return null;
  const s = Float64Array.from(xs).sort();
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half));
  return [s[lo], s[hi]];
}

/** What `der … --repeat N` reports: best and median per-call time, the median's interval, the warm-up. */
export interface RepeatReport {
  repeats: number;
  bestMs: number;
  medianMs: number;
  medianCi95Ms: [number, number] | null;
  /** Log-space interval around the geometric mean (`ciPositive`): positive by construction. */
  geoMeanMs: number | null;
  geoMeanCi95Ms: [number, number] | null;
  warmupCalls: number;
  steady: boolean;
  outliers: number;
}

export function repeatReport(r: TimeItResult): RepeatReport {
  const positive = r.samples.filter((x) => x > 0);
  const geo = positive.length === r.samples.length ? ciPositive(positive) : null;
  return {
    repeats: r.samples.length,
    bestMs: Math.min(...r.samples),
    medianMs: median(r.samples),
    medianCi95Ms: medianCi95(r.samples),
    geoMeanMs: geo?.center ?? null,
    geoMeanCi95Ms: geo?.ci95 ?? null,
    warmupCalls: r.warmupCalls,
    steady: r.steady,
    outliers: r.outliers.length,
  };
}

/** The last timed call's result lands here, so no engine may treat the calls as dead code. */
export const timingSink: { value: unknown } = { value: undefined };

export interface Summary {
  n: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  /** mean ± t(0.975, n−1)·sd/√n; [NaN, NaN] when n < 2. */
  ci95: [number, number];
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length > 0 ? s / xs.length : NaN;
}

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

export { tCritical95 };

export function summarize(samples: ArrayLike<number>): Summary {
  const n = samples.length;
  const m = mean(samples);
  const sd = sampleSd(samples);
  const half = n >= 2 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : NaN;
  return { n, median: median(samples), mean: m, sd, ci95: [m - half, m + half] };
}

export interface TTest {
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

const twoSidedP = tTwoSidedP;

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
  return { t, df, p: twoSidedP(t, df) };
}

/**
 * Welch's unequal-variance t-test: t = (ā − b̄)/√(s²ₐ/nₐ + s²_b/n_b), df by Welch–Satterthwaite.
 */
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
  return { t, df, p: twoSidedP(t, df) };
}

export interface HostInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
  arch: string;
  totalMemoryGiB: number;
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}
