/**
 * A small exact convex hull for the structural-entropy code, so the entropy lab does not wait for the geometry
 * lab's `geometry/hull` (same contract: flat points in, CCW vertex indices out; to be swapped for it later).
 * Andrew's monotone chain with robust-predicates' exact orientation; collinear and duplicate points are
 * never hull vertices (strict hull).
 */
import { orient2d } from 'robust-predicates';
import { compareLex } from '../shared/compare';

/** > 0 iff a → b → c turns counter-clockwise (c left of the directed line a→b); exact sign. */
export function ccw(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  // robust-predicates' orient2d is negative for counter-clockwise triples.
  return -orient2d(ax, ay, bx, by, cx, cy);
}

/**
 * Strict convex hull, counter-clockwise, starting at the lexicographically smallest (x, then y) point.
 * n = 0 → []; all points equal → [i]; all collinear → the two extreme points.
 */
export function localConvexHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n === 0) return new Uint32Array(0);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => compareLex(points, i, j));
  const stack = new Uint32Array(2 * n + 1);
  let top = 0;
  const turn = (i: number, j: number, p: number): number =>
    ccw(points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1], points[2 * p], points[2 * p + 1]);
  for (let s = 0; s < n; s++) {
    const p = order[s];
    while (top >= 2 && turn(stack[top - 2], stack[top - 1], p) <= 0) top--;
    stack[top++] = p;
  }
  const lowerEnd = top + 1;
  for (let s = n - 2; s >= 0; s--) {
    const p = order[s];
    while (top >= lowerEnd && turn(stack[top - 2], stack[top - 1], p) <= 0) top--;
    stack[top++] = p;
  }
  // The chain ends where it started; drop the repeat. Duplicates of the first point collapse the same way.
  let h = top - 1;
  if (h < 1) h = 1;
  const out = stack.slice(0, h);
  if (h === 2 && points[2 * out[0]] === points[2 * out[1]] && points[2 * out[0] + 1] === points[2 * out[1] + 1]) return out.slice(0, 1);
  return out;
}
