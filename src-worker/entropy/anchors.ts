/**
 * Anchor initialisation, anchor-count heuristics and the α schedule for H_diff (paper Sec. 3 "Hyperparameters",
 * App. A, G.5, G.11). Plain Float64 code on flat points `[x0, y0, x1, y1, …]`; seeded through `Rng`.
 */
import type { Rng } from './random';
import { sampleIndices } from './random';

/** k anchors copied from k distinct random points. */
export function initAnchorsRandom(points: ArrayLike<number>, k: number, rng: Rng, d = 2): Float64Array {
  const n = points.length / d;
  if (k > n) throw new RangeError(`initAnchorsRandom: k = ${k} > n = ${n}`);
  const idx = sampleIndices(n, k, rng);
  const out = new Float64Array(k * d);
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) out[j * d + a] = points[idx[j] * d + a];
  return out;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first anchor is a uniform point, each next one a
 * point drawn with probability ∝ D(x)², its squared distance to the nearest anchor chosen so far.
 * When all remaining D(x) are 0 (fewer distinct points than k), uniform points are taken.
 */
export function initAnchorsKMeansPP(points: ArrayLike<number>, k: number, rng: Rng, d = 2): Float64Array {
  const n = points.length / d;
  if (k > n) throw new RangeError(`initAnchorsKMeansPP: k = ${k} > n = ${n}`);
  const out = new Float64Array(k * d);
  const dist2 = new Float64Array(n).fill(Infinity);
  let chosen = rng.int(n);
  for (let j = 0; j < k; j++) {
    for (let a = 0; a < d; a++) out[j * d + a] = points[chosen * d + a];
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const diff = points[i * d + a] - out[j * d + a];
        s += diff * diff;
      }
      if (s < dist2[i]) dist2[i] = s;
      total += dist2[i];
    }
    if (j === k - 1) break;
    if (total > 0) {
      let target = rng.next() * total;
      chosen = n - 1;
      for (let i = 0; i < n; i++) {
        target -= dist2[i];
        if (target < 0) {
          chosen = i;
          break;
        }
      }
    } else {
      chosen = rng.int(n);
    }
  }
  return out;
}

/** Result of Lloyd's algorithm. */
export interface KMeansResult {
  centers: Float64Array;
  labels: Uint32Array;
  /** Sum of squared distances of points to their centre. */
  sse: number;
  iterations: number;
}

/**
 * Lloyd's k-means from k-means++ (default) or random-subset seeds: at most `maxIter` rounds, stopping when no
 * label changes (`maxIter` = 0 returns the seeds with their labels and SSE). An empty cluster keeps its centre.
 */
export function kMeans(points: ArrayLike<number>, k: number, rng: Rng, d = 2, maxIter = 50, init: 'kmeans++' | 'random' = 'kmeans++'): KMeansResult {
  const n = points.length / d;
  const centers = init === 'random' ? initAnchorsRandom(points, k, rng, d) : initAnchorsKMeansPP(points, k, rng, d);
  const labels = new Uint32Array(n).fill(0xffffffff);
  const sums = new Float64Array(k * d);
  const counts = new Uint32Array(k);
  let sse = 0;
  let iter = 0;
  for (; iter <= maxIter; iter++) {
    let changed = false;
    sse = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let a = 0; a < d; a++) {
          const diff = points[i * d + a] - centers[j * d + a];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      sse += bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed || iter === maxIter) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      counts[j]++;
      for (let a = 0; a < d; a++) sums[j * d + a] += points[i * d + a];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) continue;
      for (let a = 0; a < d; a++) centers[j * d + a] = sums[j * d + a] / counts[j];
    }
  }
  return { centers, labels, sse, iterations: iter };
}

/** k = min(16, ⌊n/4⌋), at least 1 (App. A / Table 21 default for point sets). */
export function kDefault(n: number): number {
  return Math.max(1, Math.min(16, Math.floor(n / 4)));
}

/** k = ⌊√N⌋, at least 1 (Sec. 3: anchors for attention over N tokens). */
export function kForAttention(tokens: number): number {
  return Math.max(1, Math.floor(Math.sqrt(tokens)));
}

/**
 * Elbow heuristic for point sets: run k-means for k = 1 … kMax and return the k whose (k, SSE_k) lies
 * farthest below the chord from (1, SSE_1) to (kMax, SSE_kMax) (the "kneedle" rule). The curve is
 * normalised to the unit square first so the answer does not depend on the scale of the coordinates.
 */
export function kElbow(points: ArrayLike<number>, kMax: number, rng: Rng, d = 2): { k: number; sse: Float64Array } {
  const n = points.length / d;
  const top = Math.max(1, Math.min(kMax, n));
  const sse = new Float64Array(top);
  for (let k = 1; k <= top; k++) sse[k - 1] = kMeans(points, k, rng, d).sse;
  if (top <= 2) return { k: top, sse };
  const span = sse[0] - sse[top - 1];
  if (!(span > 0)) return { k: 1, sse };
  let best = 1;
  let bestGap = -Infinity;
  for (let k = 1; k <= top; k++) {
    const x = (k - 1) / (top - 1);
    const y = (sse[k - 1] - sse[top - 1]) / span;
    const gap = 1 - x - y;
    if (gap > bestGap) {
      bestGap = gap;
      best = k;
    }
  }
  return { k: best, sse };
}

/**
 * The α schedule of App. G.11: cosine annealing from `from` (10) to `to` (5) over the first `fraction` (50%)
 * of the entropy-regularised steps, then constant:
 *   α(t) = to + (from − to)·(1 + cos(π·min(1, t / (fraction·T))))/2.
 */
export function alphaCosine(step: number, totalSteps: number, from = 10, to = 5, fraction = 0.5): number {
  const span = Math.max(1, fraction * totalSteps);
  const s = Math.min(1, Math.max(0, step) / span);
  return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * s));
}
