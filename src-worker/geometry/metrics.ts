/**
 * Quality metrics for an approximate hull (App. G.13): symmetric-difference hull error, Hausdorff distances,
 * hull-vertex precision/recall. Polygons are flat [x0, y0, x1, y1, …] vertex lists, counter-clockwise and
 * convex (what `convexHull` returns, via `hullPolygon`). Floating-point throughout: these measure, they do
 * not decide combinatorics. The timing path uses the near-linear kernels of `convex-polygons.ts`; the quadratic
 * clipping and boundary distance here stay as their oracles.
 */
import Flatbush from 'flatbush';
import { convexIntersectionLinear, directedHausdorffConvex, segmentDistance } from './convex-polygons';

/** Hull vertex coordinates, in hull order. */
export function hullPolygon(points: Float64Array, hull: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * hull.length);
  for (let j = 0; j < hull.length; j++) {
    out[2 * j] = points[2 * hull[j]];
    out[2 * j + 1] = points[2 * hull[j] + 1];
  }
  return out;
}

/** Shoelace formula: signed area, positive for a counter-clockwise polygon. */
export function signedArea(poly: Float64Array): number {
  const m = poly.length >> 1;
  if (m < 3) return 0;
  let s = 0;
  for (let j = 0; j < m; j++) {
    const k = j + 1 === m ? 0 : j + 1;
    s += poly[2 * j] * poly[2 * k + 1] - poly[2 * k] * poly[2 * j + 1];
  }
  return s / 2;
}

export function polygonArea(poly: Float64Array): number {
  return Math.abs(signedArea(poly));
}

/**
 * Intersection of two convex CCW polygons by Sutherland–Hodgman: clip `subject` by each edge of `clip`, keeping
 * the part left of the edge (the inside of a CCW polygon). O(n·m). Degenerate clips (fewer than 3 vertices or
 * zero area) give an empty result. The oracle of `convexIntersectionLinear`.
 */
export function convexIntersection(subject: Float64Array, clip: Float64Array): Float64Array {
  const mc = clip.length >> 1;
  if (mc < 3 || signedArea(clip) <= 0 || subject.length < 6) return new Float64Array(0);
  let cur: number[] = Array.from(subject);
  for (let e = 0; e < mc && cur.length >= 6; e++) {
    const f = e + 1 === mc ? 0 : e + 1;
    const ax = clip[2 * e], ay = clip[2 * e + 1];
    const bx = clip[2 * f], by = clip[2 * f + 1];
    const side = (x: number, y: number): number => (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const next: number[] = [];
    const m = cur.length >> 1;
    for (let j = 0; j < m; j++) {
      const k = j + 1 === m ? 0 : j + 1;
      const px = cur[2 * j], py = cur[2 * j + 1];
      const qx = cur[2 * k], qy = cur[2 * k + 1];
      const sp = side(px, py);
      const sq = side(qx, qy);
      if (sp >= 0) next.push(px, py);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        next.push(px + t * (qx - px), py + t * (qy - py));
      }
    }
    cur = next;
  }
  return cur.length >= 6 ? Float64Array.from(cur) : new Float64Array(0);
}

/** area(A △ B) = area(A) + area(B) − 2·area(A ∩ B), for convex A and B. */
/** The same polygon counter-clockwise (reversed when it is clockwise, e.g. delaunator's hull with y up). */
export function counterClockwise(poly: Float64Array): Float64Array {
  if (signedArea(poly) >= 0) return poly;
  const m = poly.length >> 1;
  const out = new Float64Array(poly.length);
  for (let j = 0; j < m; j++) {
    out[2 * j] = poly[2 * (m - 1 - j)];
    out[2 * j + 1] = poly[2 * (m - 1 - j) + 1];
  }
  return out;
}

/** Area of a △ b for convex polygons of either orientation. */
export function symmetricDifferenceArea(a: Float64Array, b: Float64Array): number {
  if (samePolygon(a, b)) return 0;
  const inter = polygonArea(convexIntersectionLinear(counterClockwise(a), counterClockwise(b)));
  return Math.max(0, polygonArea(a) + polygonArea(b) - 2 * inter);
}

/**
 * Hull error (G.13), in percent: 100 · area(hull(S) △ hull(S′)) / area(hull(S)), with `reference` = hull(S).
 * 0 when both polygons have zero area; NaN when only the reference does (a percentage of nothing).
 */
/** The same vertex sequence: every metric is exactly 0 without geometry (the clipping sums leave rounding). */
function samePolygon(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hullErrorPercent(reference: Float64Array, candidate: Float64Array): number {
  const ref = polygonArea(reference);
  const diff = symmetricDifferenceArea(reference, candidate);
  if (ref === 0) return diff === 0 ? 0 : NaN;
  return (100 * diff) / ref;
}

/** Distance from (px, py) to the boundary of polygon `poly` (a closed polyline; one vertex = a point). */
export function distanceToBoundary(px: number, py: number, poly: Float64Array): number {
  const m = poly.length >> 1;
  if (m === 0) return Infinity;
  if (m === 1) return Math.hypot(px - poly[0], py - poly[1]);
  let best = Infinity;
  for (let j = 0; j < m; j++) {
    const k = j + 1 === m ? 0 : j + 1;
    const d = segmentDistance(px, py, poly[2 * j], poly[2 * j + 1], poly[2 * k], poly[2 * k + 1]);
    if (d < best) best = d;
  }
  return best;
}

/**
 * Directed Hausdorff distance sup_{a ∈ ∂A} d(a, ∂B) for convex CCW polygons, over the whole boundary of A, not
 * only its vertices. Along an edge of A:
 *   - outside B, d(a, ∂B) = d(a, B) is convex in the edge parameter, so its maximum sits at an end of the
 *     outside part, i.e. at a vertex of A (the other end is on ∂B, where d = 0);
 *   - inside B, d(a, ∂B) = min over B's edges of the distance to their lines, a concave piecewise-linear
 *     function: its maximum can be interior (a thin A crossing a big B peaks in the middle), found by
 *     bisection on the slope of the active line.
 * O(|A|·|B|·60) worst case; exact up to rounding. The oracle of `directedHausdorffConvex`.
 */
export function directedHausdorffBoundary(a: Float64Array, b: Float64Array): number {
  const ma = a.length >> 1;
  const mb = b.length >> 1;
  if (ma === 0) return 0;
  if (mb === 0) return Infinity;
  let best = 0;
  for (let j = 0; j < ma; j++) best = Math.max(best, distanceToBoundary(a[2 * j], a[2 * j + 1], b));
  if (mb < 3 || signedArea(b) <= 0) return best;

  // Unit inward normals of B's edges: signed distance of p to edge k's line is n_k·(p − b_k) ≥ 0 inside.
  const nx = new Float64Array(mb), ny = new Float64Array(mb), c = new Float64Array(mb);
  for (let k = 0; k < mb; k++) {
    const l = k + 1 === mb ? 0 : k + 1;
    const ex = b[2 * l] - b[2 * k], ey = b[2 * l + 1] - b[2 * k + 1];
    const len = Math.hypot(ex, ey) || 1;
    nx[k] = -ey / len;
    ny[k] = ex / len;
    c[k] = -(nx[k] * b[2 * k] + ny[k] * b[2 * k + 1]);
  }
  for (let j = 0; j < ma; j++) {
    const k2 = j + 1 === ma ? 0 : j + 1;
    const px = a[2 * j], py = a[2 * j + 1];
    const dx = a[2 * k2] - px, dy = a[2 * k2 + 1] - py;
    // Part of the edge p + t·d, t ∈ [0, 1], inside B (Cyrus–Beck).
    let t0 = 0, t1 = 1;
    for (let k = 0; k < mb && t0 <= t1; k++) {
      const s0 = nx[k] * px + ny[k] * py + c[k];
      const ds = nx[k] * dx + ny[k] * dy;
      if (ds === 0) {
        if (s0 < 0) t1 = -1;
      } else {
        const t = -s0 / ds;
        if (ds > 0) t0 = Math.max(t0, t);
        else t1 = Math.min(t1, t);
      }
    }
    if (t0 >= t1) continue;
    let lo = t0, hi = t1;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      const x = px + mid * dx, y = py + mid * dy;
      let fmin = Infinity, slope = 0;
      for (let k = 0; k < mb; k++) {
        const f = nx[k] * x + ny[k] * y + c[k];
        if (f < fmin) ((fmin = f), (slope = nx[k] * dx + ny[k] * dy));
      }
      if (slope > 0) lo = mid;
      else if (slope < 0) hi = mid;
      else break;
    }
    const t = (lo + hi) / 2;
    best = Math.max(best, distanceToBoundary(px + t * dx, py + t * dy, b));
  }
  return best;
}

/** Symmetric Hausdorff distance between the boundaries of two convex polygons. */
export function hausdorffBoundary(a: Float64Array, b: Float64Array): number {
  if (samePolygon(a, b)) return 0;
  const ca = counterClockwise(a);
  const cb = counterClockwise(b);
  return Math.max(directedHausdorffConvex(ca, cb), directedHausdorffConvex(cb, ca));
}

/** Work done by `directedHausdorffPoints`, for tests that guard against the quadratic scan coming back. */
export interface PointsHausdorffWork {
  /** Grid cells visited plus B points compared, summed over the queries. */
  gridSteps: number;
  /** Queries handed to the R-tree because their grid scan ran out of budget. */
  treeQueries: number;
}

/** Grid cells plus point comparisons one query may spend before it goes to the R-tree. */
const GRID_BUDGET = 96;
/** The budget once more than half the queries so far went to the tree. */
const GRID_BUDGET_CLUSTERED = 8;

/**
 * Directed Hausdorff distance max_{a ∈ A} min_{b ∈ B} |a − b| between finite point sets, exact (the same
 * squared distances as brute force, the same maximum). B is bucketed in a uniform grid of about one point per
 * cell; each query scans rings of cells outward and stops when the next ring is farther than the best distance
 * found (a cell in Chebyshev ring r+1 is at least r cell widths away), or as soon as it finds a point no farther
 * than the running maximum (that query cannot raise it). A query that spends more than GRID_BUDGET cells and
 * comparisons (clustered B: crowded cells, long runs of empty rings) asks a flatbush R-tree over B for its nearest
 * neighbour instead (best-first, exact); once most queries have needed the tree, the budget drops to
 * GRID_BUDGET_CLUSTERED. Queries run in grid-cell order, so consecutive ones touch the same cells and tree nodes.
 * A query costs O(1) in the grid plus at most one tree search (about O(log |B|) on these inputs; an R-tree has no
 * worst-case bound for nearest neighbour), where the grid alone was O(|A|·|B|) on points pulled into a few
 * clusters (10⁵ uniform points against the same points pulled onto 16–32 centres: 9–27 s, now ~0.3 s; 10⁶: ~3 s;
 * the Table 23 EntropyNet's output on uniform-square 10⁶ seed 42 against its input: 320 s, now 1.3 s).
 */
export function directedHausdorffPoints(a: Float64Array, b: Float64Array, work?: PointsHausdorffWork): number {
  const na = a.length >> 1;
  const nb = b.length >> 1;
  if (na === 0) return 0;
  if (nb === 0) return Infinity;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < nb; i++) {
    const x = b[2 * i], y = b[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(nb)));
  const cols = maxX > minX ? side : 1;
  const rows = maxY > minY ? side : 1;
  const cw = cols > 1 ? (maxX - minX) / cols : Infinity;
  const ch = rows > 1 ? (maxY - minY) / rows : Infinity;
  const cellOf = (v: number, lo: number, size: number, count: number): number =>
    count === 1 ? 0 : Math.min(count - 1, Math.max(0, Math.floor((v - lo) / size)));
  // Counting sort of B's points into cells; coordinates copied in cell order so a cell's scan reads memory in order.
  const cellStart = new Uint32Array(cols * rows + 1);
  const sorted = new Float64Array(2 * nb);
  for (let i = 0; i < nb; i++) cellStart[cellOf(b[2 * i + 1], minY, ch, rows) * cols + cellOf(b[2 * i], minX, cw, cols) + 1]++;
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cols * rows);
  for (let i = 0; i < nb; i++) {
    const s = fill[cellOf(b[2 * i + 1], minY, ch, rows) * cols + cellOf(b[2 * i], minX, cw, cols)]++;
    sorted[2 * s] = b[2 * i];
    sorted[2 * s + 1] = b[2 * i + 1];
  }
  let tree: Flatbush | null = null;

  const ringStep = Math.min(cw, ch);
  const maxRing = Math.max(cols, rows);
  let worst = 0;
  let worst2 = 0;
  let steps = 0;
  let treeQueries = 0;
  // Queries in cell order (counting sort of A into B's grid): neighbouring queries read the same cells and tree nodes.
  const queryStart = new Uint32Array(cols * rows + 1);
  const queryCell = new Uint32Array(na);
  for (let q = 0; q < na; q++) {
    const c = cellOf(a[2 * q + 1], minY, ch, rows) * cols + cellOf(a[2 * q], minX, cw, cols);
    queryCell[q] = c;
    queryStart[c + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) queryStart[c + 1] += queryStart[c];
  const order = new Uint32Array(na);
  for (let q = 0; q < na; q++) order[queryStart[queryCell[q]]++] = q;
  for (let k = 0; k < na; k++) {
    const q = order[k];
    const x = a[2 * q], y = a[2 * q + 1];
    const cx = queryCell[q] % cols;
    const cy = (queryCell[q] - cx) / cols;
    let best2 = Infinity;
    // Once most queries have needed the tree (B in a few clusters), give up on the grid sooner.
    const full = treeQueries * 2 > k + 1024 ? GRID_BUDGET_CLUSTERED : GRID_BUDGET;
    let budget = full;
    let done = false;
    for (let r = 0; r <= maxRing && !done; r++) {
      if (r > 0 && Number.isFinite(ringStep) && (r - 1) * ringStep > Math.sqrt(best2)) break;
      if (r > 0 && !Number.isFinite(ringStep) && best2 < Infinity) break;
      const y0 = Math.max(0, cy - r), y1 = Math.min(rows - 1, cy + r);
      const x0 = Math.max(0, cx - r), x1 = Math.min(cols - 1, cx + r);
      for (let gy = y0; gy <= y1 && !done; gy++) {
        const onEdgeRow = gy === cy - r || gy === cy + r;
        // Inner rows visit only the ring's two side cells.
        const step = onEdgeRow ? 1 : Math.max(1, 2 * r);
        for (let gx = onEdgeRow ? x0 : cx - r; gx <= x1; gx += step) {
          if (gx < x0) continue;
          const cell = gy * cols + gx;
          const s1 = cellStart[cell + 1];
          budget -= 1 + s1 - cellStart[cell];
          if (budget < 0) {
            done = true;
            break;
          }
          for (let s = cellStart[cell]; s < s1; s++) {
            const ddx = sorted[2 * s] - x, ddy = sorted[2 * s + 1] - y;
            const d2 = ddx * ddx + ddy * ddy;
            if (d2 < best2) best2 = d2;
          }
          if (best2 <= worst2) {
            done = true;
            break;
          }
        }
      }
    }
    steps += full - Math.max(budget, 0);
    if (budget < 0) {
      // Over budget: exact nearest neighbour from the R-tree (its box distance for a point is this d2).
      treeQueries++;
      if (tree === null) {
        tree = new Flatbush(nb);
        for (let i = 0; i < nb; i++) tree.add(b[2 * i], b[2 * i + 1], b[2 * i], b[2 * i + 1]);
        tree.finish();
      }
      const i = tree.neighbors(x, y, 1)[0];
      const ddx = b[2 * i] - x, ddy = b[2 * i + 1] - y;
      best2 = ddx * ddx + ddy * ddy;
    }
    if (best2 > worst2) {
      worst2 = best2;
      worst = Math.sqrt(best2);
    }
    if (worst === Infinity) break;
  }
  if (work) {
    work.gridSteps += steps;
    work.treeQueries += treeQueries;
  }
  return worst;
}

/** Symmetric Hausdorff distance between finite point sets (G.13 "Hausdorff distance for point sets"). */
export function hausdorffPoints(a: Float64Array, b: Float64Array): number {
  return Math.max(directedHausdorffPoints(a, b), directedHausdorffPoints(b, a));
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** |truth ∩ predicted| */
  truePositives: number;
}

/**
 * Hull-vertex precision |P ∩ T| / |P| and recall |P ∩ T| / |T| for index sets (both index the same point
 * array). An empty prediction has precision 1 (it claims nothing false); an empty truth has recall 1.
 */
export function hullVertexPrecisionRecall(truth: ArrayLike<number>, predicted: ArrayLike<number>): PrecisionRecall {
  const t = new Set<number>();
  for (let i = 0; i < truth.length; i++) t.add(truth[i]);
  const p = new Set<number>();
  for (let i = 0; i < predicted.length; i++) p.add(predicted[i]);
  let tp = 0;
  for (const v of p) if (t.has(v)) tp++;
  return {
    precision: p.size === 0 ? 1 : tp / p.size,
    recall: t.size === 0 ? 1 : tp / t.size,
    truePositives: tp,
  };
}
