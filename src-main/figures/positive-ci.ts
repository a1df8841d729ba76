/**
 * 95% intervals of positive quantities (times, speedups, ratios) as figures draw them. A symmetric t-interval
 * of a few seeds can reach below zero (0.261 ± 0.46 ms), which no time can; older runs stored such intervals.
 * Those are redrawn in log space — from the per-seed values when the figure has them, else from the stored
 * half-width by the delta method, sd(ln x) ≈ sd/mean — so a whisker is never cut at the axis without a word.
 */
import { ciPositive } from '../../src-worker/shared/stats';

export type IntervalSource = 'stored' | 'log-space' | 'none';

export interface PositiveInterval {
  ci: [number, number] | null;
  /** 'log-space' when the stored interval reached ≤ 0 and was rebuilt; the figure says so. */
  source: IntervalSource;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function positiveInterval(mean: number | null, ci: readonly [number | null, number | null] | null | undefined, perSeed?: readonly number[] | null): PositiveInterval {
  const lo = ci?.[0];
  const hi = ci?.[1];
  if (!finite(mean) || !(mean > 0)) return { ci: null, source: 'none' };
  if (finite(lo) && finite(hi) && lo > 0) return { ci: [lo, hi], source: 'stored' };
  const seeds = (perSeed ?? []).filter(finite);
  if (seeds.length >= 2 && seeds.every((v) => v > 0)) {
    const c = ciPositive(seeds);
    if (c) {
      // Around the stored mean, with the log-space half-width of the per-seed values.
      const h = Math.log(c.ci95[1] / c.center);
      return { ci: [mean * Math.exp(-h), mean * Math.exp(h)], source: 'log-space' };
    }
  }
  if (finite(lo) && finite(hi)) {
    const h = (hi - lo) / 2 / mean;
    return { ci: [mean * Math.exp(-h), mean * Math.exp(h)], source: 'log-space' };
  }
  return { ci: null, source: 'none' };
}

/** The note a figure adds when it rebuilt some intervals. */
export function rebuiltNote(count: number): string {
  return count > 0 ? ` · ${count} CI${count === 1 ? '' : 's'} reached ≤ 0 as stored: shown in log space` : '';
}
