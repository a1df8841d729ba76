/**
 * The paper's "Heuristic Sort" baseline (Table 2: 1.67× on uniform, 1.08× on parabolic data, 0% error).
 *
 * The paper names this method but never defines it (searched: "heuristic" appears only in Table 2's rows and
 * in unrelated hyperparameter text). Table 22 shows that a method row there is a preprocessor placed in front
 * of Chan's algorithm, so we implement the plainest reading, and state it here exactly:
 *
 *   1. sort the points lexicographically by (x, y) — our sort, radix on the high word of x, O(n) typical,
 *      O(n log n) worst — and copy them into that order (one new Float64Array);
 *   2. run Chan's algorithm (`chan.ts`) on the sorted copy, where Chan's groups of m consecutive points are
 *      now vertical slabs, so the mini-hulls are disjoint and cheap to sort;
 *   3. map the resulting indices back to the input's.
 *
 * The timed cost includes steps 1 and 3. Ties in the sort are broken by input index, so the lowest-index rule
 * for duplicates carries over. The same reordering is the `heuristic-sort` preprocessor of the timing
 * experiment (`preprocess.ts`), which can be put in front of any algorithm.
 */
import { chanHull } from './chan';
import { iota, sortIndicesLex } from './sort';

export interface Reordered {
  points: Float64Array;
  /** order[k] = input index of the point now at position k. */
  order: Uint32Array;
}

/** Steps 1 of the heuristic: the points in (x, y, index) order, plus the permutation. */
export function sortPointsLex(points: Float64Array): Reordered {
  const n = points.length >> 1;
  const order = iota(n);
  sortIndicesLex(points, order, n);
  const sorted = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    sorted[2 * k] = points[2 * i];
    sorted[2 * k + 1] = points[2 * i + 1];
  }
  return { points: sorted, order };
}

export function heuristicSortHull(points: Float64Array): Uint32Array {
  const { points: sorted, order } = sortPointsLex(points);
  const hull = chanHull(sorted);
  for (let j = 0; j < hull.length; j++) hull[j] = order[hull[j]];
  return hull;
}
