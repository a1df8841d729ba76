/**
 * Throw-away filter by quadrant dominance, exact with comparisons alone; `auto` runs it before the monotone chain.
 *
 * If each of the four open quadrants around p (north-east, north-west, south-east, south-west) holds an input
 * point, p lies strictly inside the hull of those four: for any direction u, the point in the quadrant matching
 * u's signs is strictly further along u. So p is no vertex (nor on the boundary) and can go.
 *
 * Points are bucketed by k(x) = ⌊(x − lo)·s⌋ clamped to [0, B − 1]. Subtraction, multiplication by s > 0, ⌊·⌋
 * and the clamp are each monotone in floating point, so k(q) > k(p) implies q.x > p.x, whatever lo, s and the
 * rounding are. With per-bucket largest and smallest y, for bucket b
 *     above[b] = min(max y over buckets > b, max y over buckets < b)
 *     below[b] = max(min y over buckets > b, min y over buckets < b)
 * and p in bucket b is dominated in all four quadrants when below[b] < p.y < above[b]. Two passes, a few
 * comparisons per point (the second only over the points the sample's staircase left). Unlike a box or octagon from eight
 * extreme points, the staircase follows the hull closely, so it also empties clustered and parabolic sets, and
 * disks down to a thin rim. B ≈ n/16 buckets, at most 4096 (the tables stay in cache).
 *
 * Where nothing is dominated (every point on a circle) the passes would be wasted, so
 * `quadrantFilterWorthwhile` first runs the same test on a strided sample of ~2048 points (n/16 below 32 768).
 */

const SAMPLE = 2048;

/** Stride of the sample: ~2048 points, but at most n/16 of them so that small inputs do not pay a quarter pass. */
const sampleStep = (n: number): number => Math.max(1, Math.floor(n / Math.max(256, Math.min(SAMPLE, n >> 4))));
const MAX_BUCKETS = 4096;

const SAMPLE_BUCKETS = 64;
const sampleAbove = new Float64Array(SAMPLE_BUCKETS);
const sampleBelow = new Float64Array(SAMPLE_BUCKETS);
let bucketMax = new Float64Array(0);
let bucketMin = new Float64Array(0);
let above = new Float64Array(0);
let below = new Float64Array(0);

/** Range of x over the points 0, step, 2·step, … (< n): the bucket grid; points outside it clamp to the ends. */
function sampledRange(points: Float64Array, n: number, step: number): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i += step) {
    const x = points[2 * i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return { lo, hi };
}

/** Empty per-bucket extremes for B buckets (filled by the caller's pass, then `finishLimits`). */
function resetBuckets(buckets: number): void {
  if (bucketMax.length < buckets) {
    bucketMax = new Float64Array(buckets);
    bucketMin = new Float64Array(buckets);
    above = new Float64Array(buckets);
    below = new Float64Array(buckets);
  }
  bucketMax.fill(-Infinity, 0, buckets);
  bucketMin.fill(Infinity, 0, buckets);
}

/** above[0, B) and below[0, B) from the per-bucket extremes. */
function finishLimits(buckets: number): void {
  const bMax = bucketMax;
  const bMin = bucketMin;
  const last = buckets - 1;
  // Strictly right of b first (suffix), then combined with strictly left of b (prefix).
  let mx = -Infinity;
  let mn = Infinity;
  for (let b = last; b >= 0; b--) {
    above[b] = mx;
    below[b] = mn;
    if (bMax[b] > mx) mx = bMax[b];
    if (bMin[b] < mn) mn = bMin[b];
  }
  mx = -Infinity;
  mn = Infinity;
  for (let b = 0; b <= last; b++) {
    if (mx < above[b]) above[b] = mx;
    if (mn > below[b]) below[b] = mn;
    if (bMax[b] > mx) mx = bMax[b];
    if (bMin[b] < mn) mn = bMin[b];
  }
}

function gridScale(lo: number, hi: number, buckets: number): number {
  const range = hi - lo;
  const scale = buckets / range;
  return range > 0 && scale > 0 && scale < Infinity ? scale : 0;
}

/**
 * True when the test, run on ~2048 strided points against themselves, throws away at least half of them (the
 * full set, with more points and a finer grid, usually throws away more).
 */
export function quadrantFilterWorthwhile(points: Float64Array): boolean {
  const n = points.length >> 1;
  const step = sampleStep(n);
  const { lo, hi } = sampledRange(points, n, step);
  const scale = gridScale(lo, hi, SAMPLE_BUCKETS);
  if (scale === 0) return false;
  sampleStaircase(points, n, step, lo, scale);
  const last = SAMPLE_BUCKETS - 1;
  let sampled = 0;
  let dominated = 0;
  for (let i = 0; i < n; i += step) {
    const v = (points[2 * i] - lo) * scale;
    const k = v <= 0 ? 0 : v >= last ? last : v | 0;
    const y = points[2 * i + 1];
    sampled++;
    if (y < sampleAbove[k] && y > sampleBelow[k]) dominated++;
  }
  return 2 * dominated >= sampled;
}

/** above/below of the strided sample over SAMPLE_BUCKETS buckets, into sampleAbove/sampleBelow (all −∞/+∞ when
 * scale is 0: then nothing is dominated). */
function sampleStaircase(points: Float64Array, n: number, step: number, lo: number, scale: number): void {
  const last = SAMPLE_BUCKETS - 1;
  resetBuckets(SAMPLE_BUCKETS);
  if (scale > 0) {
    for (let i = 0; i < n; i += step) {
      const v = (points[2 * i] - lo) * scale;
      const k = v <= 0 ? 0 : v >= last ? last : v | 0;
      const y = points[2 * i + 1];
      if (y > bucketMax[k]) bucketMax[k] = y;
      if (y < bucketMin[k]) bucketMin[k] = y;
    }
    finishLimits(SAMPLE_BUCKETS);
    sampleAbove.set(above.subarray(0, SAMPLE_BUCKETS));
    sampleBelow.set(below.subarray(0, SAMPLE_BUCKETS));
  } else {
    sampleAbove.fill(-Infinity);
    sampleBelow.fill(Infinity);
  }
}

/**
 * Writes into `out` (ascending) the indices of the points not dominated in all four quadrants, which include
 * every hull vertex; returns their count. `out.length` must be at least n.
 *
 * First the same test against the staircase of the strided sample (64 buckets, the sample's x range): sample
 * points are input points, so a point it dominates in all four quadrants can go. The others are compacted into
 * `out` while the fine tables are built from them alone, which loses nothing: for p and a quadrant, the point of
 * that quadrant furthest along its diagonal (largest x + y for north-east, …) is dominated in that quadrant by no
 * one, so it stays. One pass over the input, a second over what the first left. (A box between the sample's
 * diagonal extremes, tested first, was slower: on clustered points its branch goes either way at random.)
 */
export function quadrantFilter(points: Float64Array, out: Uint32Array): number {
  const n = points.length >> 1;
  if (n === 0) return 0;
  const step = sampleStep(n);
  const { lo, hi } = sampledRange(points, n, step);
  const coarseScale = gridScale(lo, hi, SAMPLE_BUCKETS);
  const coarseLast = SAMPLE_BUCKETS - 1;
  sampleStaircase(points, n, step, lo, coarseScale);
  const sUp = sampleAbove;
  const sDown = sampleBelow;
  const buckets = Math.max(16, Math.min(MAX_BUCKETS, n >> 4));
  const scale = gridScale(lo, hi, buckets);
  const last = buckets - 1;
  resetBuckets(buckets);
  const bMax = bucketMax;
  const bMin = bucketMin;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    const u = (x - lo) * coarseScale;
    const kc = u <= 0 ? 0 : u >= coarseLast ? coarseLast : u | 0;
    if (y < sUp[kc] && y > sDown[kc]) continue;
    out[c++] = i;
    const v = (x - lo) * scale;
    const k = v <= 0 ? 0 : v >= last ? last : v | 0;
    if (y > bMax[k]) bMax[k] = y;
    if (y < bMin[k]) bMin[k] = y;
  }
  if (scale === 0) return c;
  finishLimits(buckets);
  const up = above;
  const down = below;
  let kept = 0;
  for (let j = 0; j < c; j++) {
    const i = out[j];
    const v = (points[2 * i] - lo) * scale;
    const k = v <= 0 ? 0 : v >= last ? last : v | 0;
    const y = points[2 * i + 1];
    if (y < up[k] && y > down[k]) continue;
    out[kept++] = i;
  }
  return kept;
}
