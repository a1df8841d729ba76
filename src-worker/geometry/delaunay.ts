/**
 * Delaunay triangulation by delaunator's sweep-hull, in the port of `delaunay-sweep.ts` that stays near-linear on
 * points in convex position (delaunator 5.1 is super-quadratic on a circle) and flips on the exact in-circle sign.
 * Output format is delaunator's; the caller's Float64Array is used as is, without a copy
 * (bench: `test/bench/delaunay.bench.ts`).
 */
import { SweepDelaunay, type SweepCounters } from './delaunay-sweep';

export interface DelaunayResult {
  /** Vertex indices, three per triangle. Each triangle is clockwise with the y axis pointing up (delaunator's
   * docs say counter-clockwise, picturing screen coordinates with y down); same for `hull`. */
  triangles: Uint32Array;
  /** Twin of each half-edge (half-edge e runs from triangles[e] to the next vertex of its triangle), −1 on the hull. */
  halfedges: Int32Array;
  /** Hull vertex indices, clockwise for y up (delaunator's order and start, not `convexHull`'s; collinear
   * points may stay on its edges). */
  hull: Uint32Array;
}

export function delaunay(points: Float64Array): DelaunayResult {
  const d = new SweepDelaunay(points);
  return { triangles: d.triangles, halfedges: d.halfedges, hull: d.hull };
}

/** The same triangulation with the sweep's work counters (tests check they grow linearly). */
export function delaunayWithCounters(points: Float64Array): DelaunayResult & { counters: SweepCounters } {
  const d = new SweepDelaunay(points);
  return { triangles: d.triangles, halfedges: d.halfedges, hull: d.hull, counters: d.counters };
}
