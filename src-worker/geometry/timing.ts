/**
 * Trustworthy timing: warm-up, repeats capped by a time budget, summaries with Student-t intervals, and paired
 * and Welch t-tests whose p-values come from the shared Student-t distribution (G.13: "paired t-tests across 5 random
 * seeds, report p-values"; §4: "one thousand runs with warmup").
 */
import os from 'node:os';
import { ciPositive, median } from '../shared/stats';

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
  /**
   * Called after every call, warm-up and sample alike, outside the timed region (the clock is read before it
   * runs), so a measurement of seconds per call can report how far it is: untimed calls so far, samples so far
   * (0 during the warm-up), milliseconds of the call just made. Scalars, so the loop allocates nothing for it;
   * whatever it does happens between calls: keep it cheap.
   */
  afterCall?: (warmupCalls: number, samples: number, lastMs: number) => void;
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
    opts.afterCall?.(warm.length, 0, dt);
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
    opts.afterCall?.(warm.length, samples.length, dt);
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

export { mean, median, pairedTTest, sampleSd, summarize, tCritical95, welchTTest, type Summary, type TTest } from '../shared/stats';

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
