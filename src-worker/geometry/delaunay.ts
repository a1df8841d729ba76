/**
 * Delaunay triangulation through delaunator (mapbox, v5): no hand-written triangulator.
 *
 * The wrapper hands the caller's Float64Array to delaunator as is (delaunator keeps it as `coords` without
 * copying) and returns delaunator's own typed arrays, so it costs nothing measurable over the raw library
 * (bench: `test/bench/delaunay.bench.ts`).
 */
import Delaunator from 'delaunator';

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
  const d = new Delaunator(points);
  return { triangles: d.triangles, halfedges: d.halfedges, hull: d.hull };
}
