/**
 * Trustworthy timing: warm-up, repeats capped by a time budget, summaries with Student-t intervals, and paired
 * and Welch t-tests whose p-values come from jStat's t distribution (G.13: "paired t-tests across 5 random
 * seeds, report p-values"; §4: "one thousand runs with warmup").
 */
import os from 'node:os';
import { tCritical95, tTwoSidedP } from '../shared/stats';

export interface TimeItOptions {
  /** Untimed calls first, so the JIT has compiled the code being measured (default 3). */
  warmup?: number;
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
}

/**
 * Times `fn` with the monotonic `performance.now()`. The warm-up calls count against nothing. What `fn` returns
 * is kept in a sink, so the engine cannot drop the call as dead code.
 */
export function timeIt(fn: () => unknown, opts: TimeItOptions = {}): TimeItResult {
  const warmup = opts.warmup ?? 3;
  const repeats = opts.repeats ?? 1000;
  const budget = opts.budgetMs ?? Infinity;
  const minRepeats = Math.min(repeats, opts.minRepeats ?? 3);
  let sink: unknown = undefined;
  for (let i = 0; i < warmup; i++) sink = fn();
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
  return { samples, truncated };
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
