/**
 * Exact mode (beyond the paper): the network only chooses which points to keep; the hull is
 * computed from the kept points in their ORIGINAL coordinates and certified, so the output is exactly the raw
 * hull — the same index array `convexHull(points, algorithm)` returns — whatever the network does.
 *
 * Certificate: conv(kept) = conv(all) iff every dropped point lies inside or on conv(kept). Each dropped point
 * p is located in the fan of triangles (v0, v_j, v_{j+1}) of the kept hull v0 … v_{h−1} (CCW) by binary search
 * on the exact orientation of p against the rays v0→v_j, then tested against the one edge v_j→v_{j+1}:
 *
 *          v3 ●──────● v2          orient(v0, v_j, p) ≥ 0 holds for j = 1 … J and fails after (the rays
 *            /    .  /\             turn counter-clockwise around v0), so J is found in O(log h); p is inside
 *           /  .    /  \            iff it is left of or on v0→v1, right of or on v0→v_{h−1}, and left of or
 *          / .  p  /    ● v1        on v_J→v_{J+1}. O(log h) exact tests per dropped point.
 *      v4 ●.     /   .´
 *           `●´.´
 *            v0
 *
 * Every test is `orient` (a floating-point filter, then Shewchuk's exact orient2d), so "inside" is decided
 * exactly. If one dropped point fails, the result is the hull of all points (fallback). The hull conventions
 * (start at the lowest point, lowest index at duplicated vertex locations) are restored by building the kept
 * set in input order and by letting a dropped point that coincides with a hull vertex lend its smaller index.
 */
import { convexHull, orient, type HullAlgorithm } from './hull/index';

export interface ExactHullResult {
  /** Hull vertex indices into the input; equal to `convexHull(points, algorithm)`. */
  hull: Uint32Array;
  /** Every dropped point was certified inside or on conv(kept). */
  certified: boolean;
  /** The full hull was computed because certification failed (or the kept set was degenerate). */
  fallback: boolean;
  kept: number;
  /** First dropped point found outside conv(kept), or −1. */
  witness: number;
}

/**
 * Locate p in the fan of a CCW convex polygon with h ≥ 3 vertices given as coordinates hx, hy. Returns −1 when
 * p is strictly outside, else the fan index J ∈ [1, h−2] of the triangle (v0, v_J, v_{J+1}) containing p.
 */
function fanLocate(hx: Float64Array, hy: Float64Array, h: number, px: number, py: number): number {
  const x0 = hx[0];
  const y0 = hy[0];
  if (orient(x0, y0, hx[1], hy[1], px, py) < 0) return -1;
  if (orient(x0, y0, hx[h - 1], hy[h - 1], px, py) > 0) return -1;
  let lo = 1;
  let hi = h - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (orient(x0, y0, hx[mid], hy[mid], px, py) >= 0) lo = mid;
    else hi = mid - 1;
  }
  return orient(hx[lo], hy[lo], hx[lo + 1], hy[lo + 1], px, py) >= 0 ? lo : -1;
}

/** `keep[i] !== 0` marks the points the hull is computed from (see module comment). */
export function exactHullFromKeep(points: Float64Array, keep: Uint8Array, algorithm: HullAlgorithm = 'auto'): ExactHullResult {
  const n = points.length >> 1;
  if (keep.length !== n) throw new RangeError(`exactHullFromKeep: ${keep.length} flags for ${n} points`);
  let kept = 0;
  for (let i = 0; i < n; i++) if (keep[i]) kept++;
  const full = (witness: number): ExactHullResult => ({ hull: convexHull(points, algorithm), certified: false, fallback: true, kept, witness });
  if (kept === n) return { hull: convexHull(points, algorithm), certified: true, fallback: false, kept, witness: -1 };
  if (kept < 3) return full(-1);

  const keptIndex = new Uint32Array(kept);
  const keptPoints = new Float64Array(2 * kept);
  for (let i = 0, k = 0; i < n; i++) {
    if (!keep[i]) continue;
    keptIndex[k] = i;
    keptPoints[2 * k] = points[2 * i];
    keptPoints[2 * k + 1] = points[2 * i + 1];
    k++;
  }
  const local = convexHull(keptPoints, algorithm);
  const h = local.length;
  if (h < 3) return full(-1);
  const hull = new Uint32Array(h);
  const hx = new Float64Array(h);
  const hy = new Float64Array(h);
  for (let t = 0; t < h; t++) {
    hull[t] = keptIndex[local[t]];
    hx[t] = points[2 * hull[t]];
    hy[t] = points[2 * hull[t] + 1];
  }

  for (let i = 0; i < n; i++) {
    if (keep[i]) continue;
    const px = points[2 * i];
    const py = points[2 * i + 1];
    const j = fanLocate(hx, hy, h, px, py);
    if (j < 0) return full(i);
    // A dropped duplicate of a vertex: the raw hull names the location by its lowest index.
    if (px === hx[0] && py === hy[0]) {
      if (i < hull[0]) hull[0] = i;
    } else if (px === hx[j] && py === hy[j]) {
      if (i < hull[j]) hull[j] = i;
    } else if (px === hx[j + 1] && py === hy[j + 1]) {
      if (i < hull[j + 1]) hull[j + 1] = i;
    }
  }
  return { hull, certified: true, fallback: false, kept, witness: -1 };
}

export type KeepRule = 'depth' | 'inward';

export interface KeepOptions {
  /**
   * 'depth' (default): keep a point iff its moved position lies within `margin` of the boundary of the moved
   * set's hull (or on it): the network's S′ says it is near the hull. 'inward': drop a point iff the network
   * moved it towards the centroid of S by more than `margin` (radial component of the displacement).
   */
  rule?: KeepRule;
  /** Distance in coordinate units (default 0.05, i.e. σ/2 for σ = 0.1 on [0, 1]² data). */
  margin?: number;
  /** Hull algorithm for the 'depth' rule's hull of S′. */
  algorithm?: HullAlgorithm;
}

/**
 * Which points to keep, from the original points and the network's moved points (both flat [x0, y0, …]).
 * With |S′ − S| ≤ ε per point, margin ≥ 2ε makes the 'depth' rule keep every hull vertex of S (a vertex's
 * moved copy is within 2ε of ∂conv(S′)), so certification cannot fail; smaller margins keep fewer points and
 * rely on the certificate.
 */
export function selectKeep(points: Float64Array, moved: Float64Array, options: KeepOptions = {}): Uint8Array {
  const n = points.length >> 1;
  const margin = options.margin ?? 0.05;
  const keep = new Uint8Array(n);
  if ((options.rule ?? 'depth') === 'inward') {
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < n; i++) {
      cx += points[2 * i];
      cy += points[2 * i + 1];
    }
    cx /= n;
    cy /= n;
    for (let i = 0; i < n; i++) {
      const rx = points[2 * i] - cx;
      const ry = points[2 * i + 1] - cy;
      const len = Math.hypot(rx, ry);
      const radial = len > 0 ? ((moved[2 * i] - points[2 * i]) * rx + (moved[2 * i + 1] - points[2 * i + 1]) * ry) / len : 0;
      keep[i] = radial < -margin ? 0 : 1;
    }
    return keep;
  }
  const hull = convexHull(moved, options.algorithm ?? 'auto');
  const h = hull.length;
  if (h < 3) return keep.fill(1);
  // Inward unit normals of the CCW hull edges: signed distance n·x − c ≥ 0 inside.
  const nx = new Float64Array(h);
  const ny = new Float64Array(h);
  const c = new Float64Array(h);
  for (let t = 0; t < h; t++) {
    const a = hull[t];
    const b = hull[(t + 1) % h];
    const ex = moved[2 * b] - moved[2 * a];
    const ey = moved[2 * b + 1] - moved[2 * a + 1];
    const len = Math.hypot(ex, ey) || 1;
    nx[t] = -ey / len;
    ny[t] = ex / len;
    c[t] = nx[t] * moved[2 * a] + ny[t] * moved[2 * a + 1];
  }
  for (let i = 0; i < n; i++) {
    const x = moved[2 * i];
    const y = moved[2 * i + 1];
    let depth = Infinity;
    for (let t = 0; t < h && depth >= margin; t++) {
      const s = nx[t] * x + ny[t] * y - c[t];
      if (s < depth) depth = s;
    }
    keep[i] = depth < margin ? 1 : 0;
  }
  return keep;
}
