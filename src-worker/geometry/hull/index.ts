/**
 * Exact planar convex hulls.
 *
 * `convexHull(points, algorithm)` takes a flat [x0, y0, x1, y1, …] array of finite coordinates and returns the
 * hull's vertex indices:
 *   - counter-clockwise, starting at the lowest point (smallest y, then smallest x);
 *   - no vertex in the relative interior of an edge (collinear points are not vertices);
 *   - duplicates collapsed: a location that is a vertex appears once, as the lowest index among the points
 *     at that location;
 *   - degenerate inputs: no points → []; all at one location → [that lowest index]; all collinear → the two
 *     endpoints, lowest first.
 * Every algorithm returns the same array for the same input (the tests hold them to a brute-force oracle).
 */
import { aklToussaintHull } from './akl-toussaint';
import { autoHull } from './auto';
import { chanHull } from './chan';
import { heuristicSortHull } from './heuristic-sort';
import { monotoneHull } from './monotone';
import { quickhull } from './quickhull';
import { HULL_ALGORITHMS, type HullAlgorithm } from '../names';

export { HULL_ALGORITHMS, type HullAlgorithm };
export { bruteForceHull } from './brute-force';
export { octagonFilter } from './akl-toussaint';
export { sortPointsLex } from './heuristic-sort';
export { orient } from './orient';

const IMPLEMENTATIONS: Record<HullAlgorithm, (points: Float64Array) => Uint32Array> = {
  monotone: monotoneHull,
  quickhull,
  chan: chanHull,
  'akl-toussaint': aklToussaintHull,
  'heuristic-sort': heuristicSortHull,
  auto: autoHull,
};

export function convexHull(points: Float64Array, algorithm: HullAlgorithm = 'auto'): Uint32Array {
  if ((points.length & 1) !== 0) throw new RangeError(`convexHull: odd coordinate count ${points.length}`);
  const impl = IMPLEMENTATIONS[algorithm];
  if (!impl) throw new RangeError(`convexHull: unknown algorithm "${String(algorithm)}"`);
  return impl(points);
}

export function isHullAlgorithm(name: string): name is HullAlgorithm {
  return (HULL_ALGORITHMS as readonly string[]).includes(name);
}
