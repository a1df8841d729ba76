/** Invariant checks shared by the hull tests: what `convexHull` promises, checked with exact orient. */
import { orient } from '../../../../../src-worker/geometry/hull/orient';

const X = (p: Float64Array, i: number): number => p[2 * i];
const Y = (p: Float64Array, i: number): number => p[2 * i + 1];
const same = (p: Float64Array, i: number, j: number): boolean => X(p, i) === X(p, j) && Y(p, i) === Y(p, j);

/** Returns a description of the first broken invariant, or null. */
export function hullViolation(points: Float64Array, hull: Uint32Array): string | null {
  const n = points.length >> 1;
  const h = hull.length;
  if (n === 0) return h === 0 ? null : 'non-empty hull of nothing';
  if (h === 0) return 'empty hull';
  for (let j = 0; j < h; j++) {
    const v = hull[j];
    if (v >= n) return `index ${v} out of range`;
    for (let i = 0; i < v; i++) if (same(points, i, v)) return `vertex ${v} is not the lowest index at its location (${i})`;
    for (let k = j + 1; k < h; k++) if (same(points, v, hull[k])) return `location repeated at ${j} and ${k}`;
  }
  // Start: the lowest-then-leftmost input location.
  let low = 0;
  for (let i = 1; i < n; i++) {
    if (Y(points, i) < Y(points, low) || (Y(points, i) === Y(points, low) && X(points, i) < X(points, low))) low = i;
  }
  if (!same(points, hull[0], low)) return `starts at ${hull[0]}, lowest-then-leftmost is ${low}`;
  const o = (a: number, b: number, c: number): number =>
    orient(X(points, a), Y(points, a), X(points, b), Y(points, b), X(points, c), Y(points, c));
  if (h === 1) {
    for (let i = 0; i < n; i++) if (!same(points, i, hull[0])) return `single vertex but point ${i} elsewhere`;
    return null;
  }
  if (h === 2) {
    const [a, b] = hull;
    for (let i = 0; i < n; i++) {
      if (o(a, b, i) !== 0) return `two vertices but point ${i} off their line`;
      const inX = Math.min(X(points, a), X(points, b)) <= X(points, i) && X(points, i) <= Math.max(X(points, a), X(points, b));
      const inY = Math.min(Y(points, a), Y(points, b)) <= Y(points, i) && Y(points, i) <= Math.max(Y(points, a), Y(points, b));
      if (!inX || !inY) return `point ${i} beyond the segment`;
    }
    return null;
  }
  for (let j = 0; j < h; j++) {
    const a = hull[j], b = hull[(j + 1) % h], c = hull[(j + 2) % h];
    if (o(a, b, c) <= 0) return `turn at vertex ${b} is not strictly left (convex, CCW, no collinear vertex)`;
  }
  for (let j = 0; j < h; j++) {
    const a = hull[j], b = hull[(j + 1) % h];
    for (let i = 0; i < n; i++) if (o(a, b, i) < 0) return `point ${i} outside edge ${a}→${b}`;
  }
  // Locally convex, CCW and winding once: the vertices' angles around vertex 0 increase.
  for (let j = 1; j + 1 < h; j++) if (o(hull[0], hull[j], hull[j + 1]) <= 0) return 'polygon winds more than once';
  return null;
}
