/**
 * Quickhull (Eddy 1977; Barber, Dobkin & Huhdanpaa 1996 in 2-D), iterative, partitioning an index array in place.
 *
 * For a directed hull edge a→b with the set S of points strictly right of it (outside the CCW polygon),
 * pick c ∈ S farthest from line ab; points inside triangle a c b are discarded, the rest split into those
 * strictly right of a→c and those strictly right of c→b:
 *
 *              c
 *         S1 ╱   ╲ S2          (CCW hull runs a → … → c → … → b below the picture;
 *          ╱ drop  ╲             "right of a→b" is the outside)
 *        a ───────── b
 *
 * Membership (strictly right) is decided by the exact orient, so collinear points and duplicates of a, b, c
 * fall into "drop". "Farthest" is ranked by the rounded determinant; when two candidates are within rounding
 * of each other c may be a non-vertex lying on (or a hair inside) the true hull. Every true hull vertex still
 * survives (a vertex of the hull cannot lie in a triangle of other input points), so the output is certified:
 * the lower chain must be lexicographically increasing, the upper decreasing, and every turn strictly left,
 * which makes the polygon convex; otherwise the few surviving candidates go through the monotone chain.
 */
import { orient } from './orient';
import { monotoneChainSorted } from './monotone';
import { introsortLex } from './sort';
import { rotateToLowest } from './result';

function isCertifiedConvex(points: Float64Array, cycle: Uint32Array, split: number): boolean {
  const h = cycle.length;
  for (let j = 0; j < h; j++) {
    const a = cycle[j];
    const b = cycle[(j + 1) % h];
    const c = cycle[(j + 2) % h];
    const ax = points[2 * a], ay = points[2 * a + 1];
    const bx = points[2 * b], by = points[2 * b + 1];
    if (orient(ax, ay, bx, by, points[2 * c], points[2 * c + 1]) <= 0) return false;
    // Edge j runs from cycle[j] to cycle[j+1]; edges before `split` belong to the lower chain.
    const forward = bx > ax || (bx === ax && by > ay);
    if (j < split ? !forward : forward) return false;
  }
  return true;
}

export function quickhull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n === 0) return new Uint32Array(0);
  let iA = 0;
  let iB = 0;
  for (let i = 1; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    const ax = points[2 * iA], ay = points[2 * iA + 1];
    if (x < ax || (x === ax && y < ay)) iA = i;
    const bx = points[2 * iB], by = points[2 * iB + 1];
    if (x > bx || (x === bx && y > by)) iB = i;
  }
  const Ax = points[2 * iA], Ay = points[2 * iA + 1];
  const Bx = points[2 * iB], By = points[2 * iB + 1];
  if (Ax === Bx && Ay === By) return Uint32Array.of(iA);

  // Points strictly right of A→B (below: the lower chain) first, strictly left (above) after them.
  const idx = new Uint32Array(n);
  let lowEnd = 0;
  let highStart = n;
  for (let i = 0; i < n; i++) {
    const o = orient(Ax, Ay, Bx, By, points[2 * i], points[2 * i + 1]);
    if (o < 0) idx[lowEnd++] = i;
    else if (o > 0) idx[--highStart] = i;
  }

  const out = new Uint32Array(n + 1);
  let h = 0;
  // Explicit stack of tasks (a, b, lo, hi); lo = −1 marks "emit a". Depth-first, left sub-problem first, so
  // vertices come out in CCW order.
  let stack = new Int32Array(64);
  let sp = 0;
  const push = (a: number, b: number, lo: number, hi: number): void => {
    if (sp + 4 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[sp++] = a;
    stack[sp++] = b;
    stack[sp++] = lo;
    stack[sp++] = hi;
  };

  out[h++] = iA;
  push(iB, iA, highStart, n);
  push(iB, -1, -1, -1);
  push(iA, iB, 0, lowEnd);
  let lowerEdges = -1;
  while (sp > 0) {
    const hi = stack[--sp];
    const lo = stack[--sp];
    const b = stack[--sp];
    const a = stack[--sp];
    if (lo === -1) {
      if (a === iB) lowerEdges = h;
      out[h++] = a;
      continue;
    }
    if (lo >= hi) continue;
    const ax = points[2 * a], ay = points[2 * a + 1];
    const bx = points[2 * b], by = points[2 * b + 1];
    let best = idx[lo];
    let bestD = Infinity;
    for (let k = lo; k < hi; k++) {
      const i = idx[k];
      // Rounded orient: negative = right of a→b; most negative = farthest.
      const d = (bx - ax) * (points[2 * i + 1] - ay) - (by - ay) * (points[2 * i] - ax);
      if (d < bestD || (d === bestD && i < best)) {
        bestD = d;
        best = i;
      }
    }
    const c = best;
    const cx = points[2 * c], cy = points[2 * c + 1];
    // Three-way partition of idx[lo, hi): right of a→c to the front, right of c→b next, drop the rest.
    let w = lo;
    for (let k = lo; k < hi; k++) {
      const i = idx[k];
      if (orient(ax, ay, cx, cy, points[2 * i], points[2 * i + 1]) < 0) {
        idx[k] = idx[w];
        idx[w++] = i;
      }
    }
    const s1End = w;
    for (let k = s1End; k < hi; k++) {
      const i = idx[k];
      if (orient(cx, cy, bx, by, points[2 * i], points[2 * i + 1]) < 0) {
        idx[k] = idx[w];
        idx[w++] = i;
      }
    }
    push(c, b, s1End, w);
    push(c, -1, -1, -1);
    push(a, c, lo, s1End);
  }
  const cycle = out.subarray(0, h);
  if (h <= 2 || isCertifiedConvex(points, cycle, lowerEdges)) return rotateToLowest(points, cycle.slice());
  const candidates = cycle.slice();
  introsortLex(points, candidates, 0, h);
  return monotoneChainSorted(points, candidates, h);
}
