/**
 * Andrew's monotone chain (1979) on lexicographically sorted indices.
 *
 * Lower hull left→right, then upper hull right→left, popping while the last two kept points and the new one
 * do not make a strict left turn (orient ≤ 0). The strict test is what drops collinear points from edges:
 *
 *     a ─── b ─── c      orient(a, b, c) = 0  →  b is popped, edge a─c remains
 *
 * Duplicates are adjacent after the (x, y, index) sort and only the first — the lowest index — is kept.
 * O(n) after the sort; O(n log n) overall. The chain is split at the line through the first and last point, so
 * each point enters one of the two chains (see `monotoneChainGathered`).
 */
import { orient2d } from 'robust-predicates';
import { CCW_ERR_BOUND_A } from './orient';
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

let above = new Int32Array(0);

/**
 * The chain itself, on coordinates X, Y and input indices I already in (x, y, index) order (not modified).
 *
 * With L the first point and R the first of the last location, the lower hull's vertices lie on or below the
 * line L→R and the upper hull's on or above it. So one forward pass classifies each point by the floating-point
 * filter alone and runs the lower chain on those not surely above; the points not surely below are remembered
 * and the upper chain runs over them backwards. A point the filter is unsure of goes to both chains: a chain
 * over a superset of the candidate vertices still gives the same hull, and a point on the wrong side of L→R is
 * always popped (the chain from L to R turns strictly one way). Each point thus meets about two orientation
 * tests instead of the three of the two full passes. A repeated location is skipped at its second occurrence,
 * so the lowest index stays.
 */
export function monotoneChainGathered(X: Float64Array, Y: Float64Array, I: Uint32Array, count: number): Uint32Array {
  if (count === 0) return new Uint32Array(0);
  const lx = X[0], ly = Y[0];
  let r = count - 1;
  const rx = X[r], ry = Y[r];
  while (r > 0 && X[r - 1] === rx && Y[r - 1] === ry) r--;
  if (r === 0) return Uint32Array.of(I[0]);
  if (stack.length < 2 * count + 2) stack = new Int32Array(2 * count + 2);
  if (above.length < count) above = new Int32Array(count);
  const H = stack;
  const U = above;
  const dx = rx - lx, dy = ry - ly;
  // An imported binding read in the loop costs a hole check per read in an ES module (2–3× the whole chain on
  // 10⁶ points on a circle); a local copy does not.
  const errA = CCW_ERR_BOUND_A;
  let nu = 0;
  H[0] = 0;
  let k = 1;
  for (let i = 1; i < r; i++) {
    const x = X[i];
    const y = Y[i];
    if (x === X[i - 1] && y === Y[i - 1]) continue;
    // orient(L, R, p) by the filter only (see orient.ts): > bound surely above, < −bound surely below.
    const detLeft = dx * (y - ly);
    const detRight = dy * (x - lx);
    const det = detLeft - detRight;
    const bound = errA * (Math.abs(detLeft) + Math.abs(detRight));
    if (det > -bound) U[nu++] = i;
    if (det > bound) continue;
    while (k >= 2 && !turnsLeft(X[H[k - 2]], Y[H[k - 2]], X[H[k - 1]], Y[H[k - 1]], x, y, errA)) k--;
    H[k++] = i;
  }
  while (k >= 2 && !turnsLeft(X[H[k - 2]], Y[H[k - 2]], X[H[k - 1]], Y[H[k - 1]], rx, ry, errA)) k--;
  H[k++] = r;
  const lowerEnd = k + 1;
  for (let j = nu - 1; j >= -1; j--) {
    const i = j >= 0 ? U[j] : 0;
    const x = X[i];
    const y = Y[i];
    while (k >= lowerEnd && !turnsLeft(X[H[k - 2]], Y[H[k - 2]], X[H[k - 1]], Y[H[k - 1]], x, y, errA)) k--;
    H[k++] = i;
  }
  // The upper pass ends on L again.
  const h = k - 1;

  // Lowest-then-leftmost start: smallest (y, x) among the hull vertices, which is on the lower chain H[0, lowerEnd − 1).
  let start = 0;
  for (let j = 1; j < lowerEnd - 1; j++) {
    const a = H[j];
    const b = H[start];
    if (Y[a] < Y[b] || (Y[a] === Y[b] && X[a] < X[b])) start = j;
  }
  const out = new Uint32Array(h);
  for (let j = start; j < h; j++) out[j - start] = I[H[j]];
  for (let j = 0; j < start; j++) out[h - start + j] = I[H[j]];
  return out;
}

/**
 * orient(a, b, c) > 0, exactly: the floating-point filter of orient.ts answers almost always; only a triple it is
 * unsure of pays for robust-predicates' adaptive orient2d (clockwise-positive, hence the sign). A local copy of
 * `orient` reduced to the boolean the chain needs: calling `orient` from the other module measured about twice
 * as slow in this loop. The error bound comes in as a parameter for the same reason.
 */
function turnsLeft(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, errA: number): boolean {
  const detLeft = (ax - cx) * (by - cy);
  const detRight = (ay - cy) * (bx - cx);
  const det = detLeft - detRight;
  const bound = errA * (Math.abs(detLeft) + Math.abs(detRight));
  if (det > bound) return true;
  if (-det > bound) return false;
  return orient2d(ax, ay, bx, by, cx, cy) < 0;
}

/** Monotone chain over all points: radix sort by (x, y, index) carrying the coordinates, then the chain. */
export function monotoneHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  const sorted = sortGatheredLex(points, null, n);
  return monotoneChainGathered(sorted.x, sorted.y, sorted.index, n);
}
