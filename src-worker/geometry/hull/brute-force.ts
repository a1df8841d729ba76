/**
 * Test oracle: Jarvis's gift wrapping (1973), O(n·h), written for obviousness, not speed, and sharing nothing
 * with the production algorithms but `orient`.
 *
 * From the lowest-then-leftmost point p (lowest index among its duplicates), the next vertex q is the point
 * with every other point left of or on p→q; among points on that ray the farthest (so collinear points are
 * skipped), among duplicates the lowest index. Distance along a ray is compared by coordinates, not by
 * rounded squared lengths: on a ray leaving p, r is farther than q iff r is beyond q in x (or in y when the
 * ray is vertical). Exact, because only orient and comparisons are used.
 */
import { orient } from './orient';

export function bruteForceHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n === 0) return new Uint32Array(0);
  const X = (i: number): number => points[2 * i];
  const Y = (i: number): number => points[2 * i + 1];
  const same = (i: number, j: number): boolean => X(i) === X(j) && Y(i) === Y(j);

  let start = 0;
  for (let i = 1; i < n; i++) {
    if (Y(i) < Y(start) || (Y(i) === Y(start) && X(i) < X(start))) start = i;
  }
  const farther = (p: number, q: number, r: number): boolean => {
    if (X(q) !== X(p)) return X(q) > X(p) ? X(r) > X(q) : X(r) < X(q);
    return Y(q) > Y(p) ? Y(r) > Y(q) : Y(r) < Y(q);
  };

  const hull: number[] = [start];
  let p = start;
  for (let guard = 0; guard <= n; guard++) {
    let q = -1;
    for (let r = 0; r < n; r++) {
      if (same(r, p)) continue;
      if (q < 0) {
        q = r;
        continue;
      }
      const o = orient(X(p), Y(p), X(q), Y(q), X(r), Y(r));
      if (o < 0) q = r;
      else if (o === 0) {
        if (same(r, q)) {
          if (r < q) q = r;
        } else if (farther(p, q, r)) q = r;
      }
    }
    if (q < 0 || same(q, start)) break;
    hull.push(q);
    p = q;
  }
  return Uint32Array.from(hull);
}
