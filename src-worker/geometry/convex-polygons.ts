/**
 * Near-linear kernels on convex polygons for the quality metrics, which meet hulls with h = n = 10⁶ (points on
 * a circle): the O(|A|·|B|) clipping and boundary distances of `metrics.ts` never finish there.
 *
 * Polygons are flat [x0, y0, x1, y1, …], convex and counter-clockwise. Floating point: these measure, they do
 * not decide combinatorics.
 */

/**
 * A ∩ B as the intersection of the half-planes left of every edge of A and of B. The edges of a convex CCW
 * polygon are already in angular order (cyclically), so the two lists are merged in O(|A| + |B|) and the
 * classic deque sweep (Zhu & al., as in cp-algorithms) intersects them in linear time. Empty (length 0) when the
 * intersection has no interior or either polygon is degenerate.
 */
export function convexIntersectionLinear(a: Float64Array, b: Float64Array): Float64Array {
  const lines = mergedEdges(a, b);
  if (!lines) return new Float64Array(0);
  const { px, py, dx, dy, count } = lines;
  const dq = new Int32Array(count);
  let head = 0;
  let tail = 0; // dq[head..tail)
  const outside = (l: number, x: number, y: number): boolean => dx[l] * (y - py[l]) - dy[l] * (x - px[l]) < 0;
  for (let i = 0; i < count; i++) {
    while (tail - head > 1) {
      meet(lines, dq[tail - 1], dq[tail - 2]);
      if (!outside(i, MEET[0], MEET[1])) break;
      tail--;
    }
    while (tail - head > 1) {
      meet(lines, dq[head], dq[head + 1]);
      if (!outside(i, MEET[0], MEET[1])) break;
      head++;
    }
    if (tail - head > 0) {
      const l = dq[tail - 1];
      const cross = dx[i] * dy[l] - dy[i] * dx[l];
      if (cross === 0) {
        // Parallel: opposite directions leave no interior; same direction keeps the more restrictive one.
        if (dx[i] * dx[l] + dy[i] * dy[l] < 0) return new Float64Array(0);
        if (outside(i, px[l], py[l])) tail--;
        else continue;
      } else if (cross > 0) {
        // The new edge turns clockwise from the last one kept by more than π − 0: no bounded interior left.
        return new Float64Array(0);
      }
    }
    dq[tail++] = i;
  }
  while (tail - head > 2) {
    meet(lines, dq[tail - 1], dq[tail - 2]);
    if (!outside(dq[head], MEET[0], MEET[1])) break;
    tail--;
  }
  while (tail - head > 2) {
    meet(lines, dq[head], dq[head + 1]);
    if (!outside(dq[tail - 1], MEET[0], MEET[1])) break;
    head++;
  }
  const k = tail - head;
  if (k < 3) return new Float64Array(0);
  const out = new Float64Array(2 * k);
  for (let j = 0; j < k; j++) {
    meet(lines, dq[head + j], dq[head + ((j + 1) % k)]);
    out[2 * j] = MEET[0];
    out[2 * j + 1] = MEET[1];
  }
  return out;
}

interface Lines {
  px: Float64Array;
  py: Float64Array;
  dx: Float64Array;
  dy: Float64Array;
  count: number;
}

const MEET = new Float64Array(2);

function meet(lines: Lines, i: number, j: number): void {
  const { px, py, dx, dy } = lines;
  const den = dx[i] * dy[j] - dy[i] * dx[j];
  const t = ((px[j] - px[i]) * dy[j] - (py[j] - py[i]) * dx[j]) / den;
  MEET[0] = px[i] + t * dx[i];
  MEET[1] = py[i] + t * dy[i];
}

/** The edges of both polygons as lines sorted by direction angle; null when either has no interior. */
function mergedEdges(a: Float64Array, b: Float64Array): Lines | null {
  const ea = edgeList(a);
  const eb = edgeList(b);
  if (!ea || !eb) return null;
  const count = ea.count + eb.count;
  const out: Lines = { px: new Float64Array(count), py: new Float64Array(count), dx: new Float64Array(count), dy: new Float64Array(count), count };
  const angle = new Float64Array(count);
  let i = 0;
  let j = 0;
  for (let k = 0; k < count; k++) {
    const fromA = j >= eb.count || (i < ea.count && ea.angle[i] <= eb.angle[j]);
    const src = fromA ? ea : eb;
    const s = fromA ? i++ : j++;
    out.px[k] = src.px[s];
    out.py[k] = src.py[s];
    out.dx[k] = src.dx[s];
    out.dy[k] = src.dy[s];
    angle[k] = src.angle[s];
  }
  // atan2 may invert two nearly parallel edges by one ulp; insertion sort repairs that in linear time.
  for (let k = 1; k < count; k++) {
    let m = k;
    while (m > 0 && angle[m - 1] > angle[m]) {
      swapLine(out, angle, m - 1, m);
      m--;
    }
  }
  return out;
}

function swapLine(l: Lines, angle: Float64Array, i: number, j: number): void {
  for (const arr of [l.px, l.py, l.dx, l.dy, angle]) {
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
}

interface EdgeList extends Lines {
  angle: Float64Array;
}

/** Non-degenerate edges of a CCW polygon, rotated to start at the smallest direction angle. */
function edgeList(poly: Float64Array): EdgeList | null {
  const m = poly.length >> 1;
  if (m < 3) return null;
  const raw: number[] = [];
  for (let j = 0; j < m; j++) {
    const k = j + 1 === m ? 0 : j + 1;
    const dx = poly[2 * k] - poly[2 * j];
    const dy = poly[2 * k + 1] - poly[2 * j + 1];
    if (dx !== 0 || dy !== 0) raw.push(j);
  }
  const count = raw.length;
  if (count < 3) return null;
  const angles = raw.map((j) => {
    const k = j + 1 === m ? 0 : j + 1;
    return Math.atan2(poly[2 * k + 1] - poly[2 * j + 1], poly[2 * k] - poly[2 * j]);
  });
  let start = 0;
  for (let s = 1; s < count; s++) if (angles[s] < angles[start]) start = s;
  const e: EdgeList = { px: new Float64Array(count), py: new Float64Array(count), dx: new Float64Array(count), dy: new Float64Array(count), angle: new Float64Array(count), count };
  for (let s = 0; s < count; s++) {
    const r = (start + s) % count;
    const j = raw[r];
    const k = j + 1 === m ? 0 : j + 1;
    e.px[s] = poly[2 * j];
    e.py[s] = poly[2 * j + 1];
    e.dx[s] = poly[2 * k] - poly[2 * j];
    e.dy[s] = poly[2 * k + 1] - poly[2 * j + 1];
    e.angle[s] = angles[r];
  }
  return e;
}

/**
 * Distance queries to the boundary of a polygon (a closed polyline). Segments are bucketed in a sparse grid whose
 * cell is about the mean segment length (each segment in the cells it crosses, found column by column), so a
 * query near the polyline looks at O(1) segments; a query scans rings of cells outward and stops once the next
 * ring is farther than the best distance found. Far queries (more than MAX_RINGS rings) scan every segment.
 */
export class BoundaryDistance {
  /** Segments examined by queries so far (tests check the work stays linear). */
  segmentChecks = 0;
  /** The segment nearest to the last `distance` query. */
  nearest = 0;
  private readonly poly: Float64Array;
  private readonly m: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly head = new Map<number, number>();
  private nextPair: Int32Array;
  private pairSeg: Uint32Array;
  private pairs = 0;

  constructor(poly: Float64Array) {
    this.poly = poly;
    const m = (this.m = poly.length >> 1);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, perimeter = 0;
    for (let j = 0; j < m; j++) {
      const k = j + 1 === m ? 0 : j + 1;
      minX = Math.min(minX, poly[2 * j]);
      maxX = Math.max(maxX, poly[2 * j]);
      minY = Math.min(minY, poly[2 * j + 1]);
      maxY = Math.max(maxY, poly[2 * j + 1]);
      perimeter += Math.hypot(poly[2 * k] - poly[2 * j], poly[2 * k + 1] - poly[2 * j + 1]);
    }
    const extent = Math.max(maxX - minX, maxY - minY);
    this.minX = minX;
    this.minY = minY;
    this.cell = extent > 0 ? Math.max(perimeter / Math.max(1, m), extent / 32768) : 1;
    this.cols = Math.max(1, Math.ceil((maxX - minX) / this.cell) + 1);
    this.rows = Math.max(1, Math.ceil((maxY - minY) / this.cell) + 1);
    this.nextPair = new Int32Array(Math.max(16, 4 * m));
    this.pairSeg = new Uint32Array(this.nextPair.length);
    for (let j = 0; j < m; j++) this.insertSegment(j);
  }

  private insertSegment(j: number): void {
    const { poly, m } = this;
    const k = j + 1 >= m ? 0 : j + 1;
    let ax = poly[2 * j], ay = poly[2 * j + 1], bx = poly[2 * k], by = poly[2 * k + 1];
    if (ax > bx) [ax, ay, bx, by] = [bx, by, ax, ay];
    const c0 = this.col(ax), c1 = this.col(bx);
    for (let gx = c0; gx <= c1; gx++) {
      // The segment's y-range inside this column.
      const xl = Math.max(ax, this.minX + gx * this.cell), xr = Math.min(bx, this.minX + (gx + 1) * this.cell);
      const yl = bx > ax ? ay + ((xl - ax) / (bx - ax)) * (by - ay) : ay;
      const yr = bx > ax ? ay + ((xr - ax) / (bx - ax)) * (by - ay) : by;
      const r0 = this.row(Math.min(yl, yr)), r1 = this.row(Math.max(yl, yr));
      for (let gy = r0; gy <= r1; gy++) this.addPair(gy * this.cols + gx, j);
    }
  }

  private addPair(key: number, j: number): void {
    if (this.pairs === this.nextPair.length) {
      const grow = (a: Int32Array | Uint32Array) => {
        const b = new (a.constructor as Int32ArrayConstructor | Uint32ArrayConstructor)(a.length * 2);
        b.set(a);
        return b;
      };
      this.nextPair = grow(this.nextPair) as Int32Array;
      this.pairSeg = grow(this.pairSeg) as Uint32Array;
    }
    const p = this.pairs++;
    this.pairSeg[p] = j;
    this.nextPair[p] = this.head.get(key) ?? -1;
    this.head.set(key, p);
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
  }

  private segment(x: number, y: number, j: number): number {
    this.segmentChecks++;
    const { poly, m } = this;
    const k = j + 1 >= m ? 0 : j + 1;
    return segmentDistance(x, y, poly[2 * j], poly[2 * j + 1], poly[2 * k], poly[2 * k + 1]);
  }

  /** Distance from (x, y) to the nearest boundary segment. */
  distance(x: number, y: number): number {
    if (this.m === 0) return Infinity;
    const cx = this.col(x);
    const cy = this.row(y);
    let best = Infinity;
    const maxRing = Math.max(this.cols, this.rows);
    for (let r = 0; r <= maxRing; r++) {
      // Cells of ring r are at least (r − 1) cells away from the query's cell.
      if (r > 0 && (r - 1) * this.cell > best) return best;
      if (r > MAX_RINGS) break;
      const y0 = Math.max(0, cy - r), y1 = Math.min(this.rows - 1, cy + r);
      const x0 = Math.max(0, cx - r), x1 = Math.min(this.cols - 1, cx + r);
      for (let gy = y0; gy <= y1; gy++) {
        if (gy === cy - r || gy === cy + r) {
          for (let gx = x0; gx <= x1; gx++) best = this.scanCell(x, y, gy * this.cols + gx, best);
        } else {
          if (cx - r >= 0) best = this.scanCell(x, y, gy * this.cols + cx - r, best);
          if (r > 0 && cx + r < this.cols) best = this.scanCell(x, y, gy * this.cols + cx + r, best);
        }
      }
    }
    for (let j = 0; j < this.m; j++) {
      const d = this.segment(x, y, j);
      if (d < best) ((best = d), (this.nearest = j));
    }
    return best;
  }

  private scanCell(x: number, y: number, key: number, best: number): number {
    for (let p = this.head.get(key) ?? -1; p !== -1; p = this.nextPair[p]) {
      const d = this.segment(x, y, this.pairSeg[p]);
      if (d < best) ((best = d), (this.nearest = this.pairSeg[p]));
    }
    return best;
  }

  /** Distance from (x, y) to boundary segment j. */
  segmentDistance(x: number, y: number, j: number): number {
    return this.segment(x, y, j);
  }
}

const MAX_RINGS = 24;

/** Distance from (px, py) to the segment a–b (a point when a = b). */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Point in a convex CCW polygon (boundary included), O(log m) by binary search over the fan from vertex 0. */
export function insideConvex(poly: Float64Array, x: number, y: number): boolean {
  const m = poly.length >> 1;
  if (m < 3) return false;
  const x0 = poly[0], y0 = poly[1];
  const cross = (j: number): number => (poly[2 * j] - x0) * (y - y0) - (poly[2 * j + 1] - y0) * (x - x0);
  if (cross(1) < 0 || cross(m - 1) > 0) return false;
  let lo = 1, hi = m - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cross(mid) >= 0) lo = mid;
    else hi = mid;
  }
  const ax = poly[2 * lo], ay = poly[2 * lo + 1], bx = poly[2 * hi], by = poly[2 * hi + 1];
  return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
}

/**
 * Directed Hausdorff distance sup_{a ∈ ∂A} d(a, ∂B) for convex CCW polygons. Vertices of A are queried through
 * a `BoundaryDistance` of B. Inside an edge of A the signed distance to ∂B (positive inside B) is concave, so
 * its maximum is found by ternary search. Two bounds skip most edges unsearched: d is 1-Lipschitz (an edge of
 * length L with end distances d₀, d₁ stays below (d₀ + d₁ + L)/2), and d is at most the distance to the segment
 * nearest either end, which is convex along the edge (so at most its larger end value).
 * Near-linear when A and B are close (the case of hull metrics); the pruning is what makes it so.
 */
export function directedHausdorffConvex(a: Float64Array, b: Float64Array, work?: { segmentChecks: number }): number {
  const ma = a.length >> 1;
  const mb = b.length >> 1;
  if (ma === 0) return 0;
  if (mb === 0) return Infinity;
  const grid = new BoundaryDistance(b);
  const dv = new Float64Array(ma);
  const near = new Uint32Array(ma);
  let best = 0;
  for (let j = 0; j < ma; j++) {
    dv[j] = grid.distance(a[2 * j], a[2 * j + 1]);
    near[j] = grid.nearest;
    if (dv[j] > best) best = dv[j];
  }
  if (mb < 3) {
    if (work) work.segmentChecks += grid.segmentChecks;
    return best;
  }
  const signed = (x: number, y: number): number => (insideConvex(b, x, y) ? 1 : -1) * grid.distance(x, y);
  for (let j = 0; j < ma; j++) {
    const k = j + 1 === ma ? 0 : j + 1;
    const px = a[2 * j], py = a[2 * j + 1];
    const ex = a[2 * k] - px, ey = a[2 * k + 1] - py;
    const len = Math.hypot(ex, ey);
    if ((dv[j] + dv[k] + len) / 2 <= best) continue;
    // Distance to one fixed segment is convex along the edge, and bounds the distance to ∂B.
    const viaJ = Math.max(dv[j], grid.segmentDistance(a[2 * k], a[2 * k + 1], near[j]));
    const viaK = Math.max(dv[k], grid.segmentDistance(px, py, near[k]));
    if (Math.min(viaJ, viaK) <= best) continue;
    // Inside B, d is the minimum over B's edge lines, so d ≤ min over any set C of those lines. Cutting planes:
    // where the bound over C peaks, t*, a query either shows d(t*) reaching it (t* is then the maximum) or names
    // the nearest segment there, which joins C. A few rounds settle edges near ∂B; the rest are searched.
    const qx = a[2 * k], qy = a[2 * k + 1];
    CUT_A[0] = lineDistance(b, near[j], px, py);
    CUT_B[0] = lineDistance(b, near[j], qx, qy) - CUT_A[0];
    CUT_A[1] = lineDistance(b, near[k], px, py);
    CUT_B[1] = lineDistance(b, near[k], qx, qy) - CUT_A[1];
    let cuts = 2;
    let settled = false;
    while (cuts < CUT_A.length) {
      const tStar = peakOfMin(cuts);
      const bound = minAt(cuts, tStar);
      const x = px + tStar * ex, y = py + tStar * ey;
      const atStar = signed(x, y);
      if (atStar >= bound - 1e-12 * Math.max(Math.abs(bound), len)) {
        if (atStar > best) best = atStar;
        settled = true;
        break;
      }
      CUT_A[cuts] = lineDistance(b, grid.nearest, px, py);
      CUT_B[cuts] = lineDistance(b, grid.nearest, qx, qy) - CUT_A[cuts];
      cuts++;
    }
    if (settled) continue;
    let lo = 0, hi = 1;
    for (let it = 0; it < 60 && (hi - lo) * len > 1e-15 * (1 + len); it++) {
      const m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
      if (signed(px + m1 * ex, py + m1 * ey) < signed(px + m2 * ex, py + m2 * ey)) lo = m1;
      else hi = m2;
    }
    const t = (lo + hi) / 2;
    const g = signed(px + t * ex, py + t * ey);
    if (g > best) best = g;
  }
  if (work) work.segmentChecks += grid.segmentChecks;
  return best;
}

/** Signed distance from (x, y) to the line of edge j of the CCW polygon b, positive on its inner side. */
function lineDistance(b: Float64Array, j: number, x: number, y: number): number {
  const m = b.length >> 1;
  const k = j + 1 === m ? 0 : j + 1;
  const ex = b[2 * k] - b[2 * j], ey = b[2 * k + 1] - b[2 * j + 1];
  const len = Math.hypot(ex, ey);
  return len > 0 ? (ex * (y - b[2 * j + 1]) - ey * (x - b[2 * j])) / len : -Math.hypot(x - b[2 * j], y - b[2 * j + 1]);
}

const CUT_A = new Float64Array(8);
const CUT_B = new Float64Array(8);

function minAt(count: number, t: number): number {
  let v = Infinity;
  for (let i = 0; i < count; i++) v = Math.min(v, CUT_A[i] + CUT_B[i] * t);
  return v;
}

/** argmax over t ∈ [0, 1] of min_i (CUT_A[i] + CUT_B[i]·t): the peak of a concave envelope is at an end or where two lines cross. */
function peakOfMin(count: number): number {
  let bestT = minAt(count, 0) >= minAt(count, 1) ? 0 : 1;
  let bestV = minAt(count, bestT);
  for (let i = 0; i < count; i++) {
    for (let l = i + 1; l < count; l++) {
      if (CUT_B[i] === CUT_B[l]) continue;
      const t = (CUT_A[l] - CUT_A[i]) / (CUT_B[i] - CUT_B[l]);
      if (!(t > 0 && t < 1)) continue;
      const v = minAt(count, t);
      if (v > bestV) ((bestV = v), (bestT = t));
    }
  }
  return bestT;
}
