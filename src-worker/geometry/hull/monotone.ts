/**
 * Andrew's monotone chain (1979) on lexicographically sorted indices.
 *
 * Lower hull left→right, then upper hull right→left, popping while the last two kept points and the new one
 * do not make a strict left turn (orient ≤ 0). The strict test is what drops collinear points from edges:
 *
 *     a ─── b ─── c      orient(a, b, c) = 0  →  b is popped, edge a─c remains
 *
 * Duplicates are adjacent after the (x, y, index) sort and only the first — the lowest index — is kept.
 * O(n) after the sort; O(n log n) overall.
 */
import { orient } from './orient';
import { sortGatheredLex } from './sort';

let sx = new Float64Array(0);
let sy = new Float64Array(0);
let si = new Uint32Array(0);
let stack = new Int32Array(0);

function ensureScratch(n: number): void {
  if (sx.length >= n) return;
  const size = Math.max(n, sx.length * 2);
  sx = new Float64Array(size);
  sy = new Float64Array(size);
  si = new Uint32Array(size);
  stack = new Int32Array(2 * size + 2);
}

/**
 * Hull of the points whose indices are `sorted[0, count)`, already in (x, y, index) order: gathers their
 * coordinates into contiguous scratch arrays, so the two chain passes read memory in order.
 */
export function monotoneChainSorted(points: Float64Array, sorted: Uint32Array, count: number): Uint32Array {
  if (count === 0) return new Uint32Array(0);
  ensureScratch(count);
  for (let k = 0; k < count; k++) {
    const i = sorted[k];
    sx[k] = points[2 * i];
    sy[k] = points[2 * i + 1];
    si[k] = i;
  }
  return monotoneChainGathered(sx, sy, si, count);
}

/**
 * The chain itself, on coordinates X, Y and input indices I already in (x, y, index) order. Compacts the
 * arrays in place while dropping duplicates, so they must be scratch the caller can spare.
 */
export function monotoneChainGathered(X: Float64Array, Y: Float64Array, I: Uint32Array, count: number): Uint32Array {
  if (count === 0) return new Uint32Array(0);
  if (stack.length < 2 * count + 2) stack = new Int32Array(2 * count + 2);
  let u = 1;
  for (let k = 1; k < count; k++) {
    const x = X[k];
    const y = Y[k];
    if (x === X[u - 1] && y === Y[u - 1]) continue;
    X[u] = x;
    Y[u] = y;
    I[u] = I[k];
    u++;
  }
  if (u === 1) return Uint32Array.of(I[0]);

  const H = stack;
  let k = 0;
  for (let i = 0; i < u; i++) {
    const x = X[i];
    const y = Y[i];
    while (k >= 2 && orient(X[H[k - 2]], Y[H[k - 2]], X[H[k - 1]], Y[H[k - 1]], x, y) <= 0) k--;
    H[k++] = i;
  }
  const lowerEnd = k + 1;
  for (let i = u - 2; i >= 0; i--) {
    const x = X[i];
    const y = Y[i];
    while (k >= lowerEnd && orient(X[H[k - 2]], Y[H[k - 2]], X[H[k - 1]], Y[H[k - 1]], x, y) <= 0) k--;
    H[k++] = i;
  }
  // The upper pass ends on the first point again.
  const h = k - 1;

  // Lowest-then-leftmost start: smallest (y, x) among the hull vertices.
  let start = 0;
  for (let j = 1; j < h; j++) {
    const a = H[j];
    const b = H[start];
    if (Y[a] < Y[b] || (Y[a] === Y[b] && X[a] < X[b])) start = j;
  }
  const out = new Uint32Array(h);
  for (let j = 0; j < h; j++) out[j] = I[H[(start + j) % h]];
  return out;
}

/** Monotone chain over all points: radix sort by (x, y, index) carrying the coordinates, then the chain. */
export function monotoneHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  const sorted = sortGatheredLex(points, null, n);
  return monotoneChainGathered(sorted.x, sorted.y, sorted.index, n);
}
