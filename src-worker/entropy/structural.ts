/**
 * Ground truth for the surrogates: structural (range-partition) entropy of a planar point set in the sense of
 * Afshani, Barbay & Chan (2017, "Instance-optimal geometric algorithms", J. ACM 64(1)):
 *   H(Π) = Σ_k (|S_k|/n) log₂(n/|S_k|)   (bits, per point),   H(S) = min over respectful partitions Π.
 * For the 2D upper hull, Π is respectful if every S_k is a singleton or lies in a triangle Δ_k whose interior
 * is below the upper hull of S; the convex-hull analogue asks for the interior of Δ_k inside conv(S). The
 * minimum over all respectful partitions is not computed here. Two feasible partitions are, so both results
 * are UPPER BOUNDS on the minimum, and are labelled so (`bound`, `target`):
 *
 * (a) `structuralTriangulationBound` — target 'convex-hull' (and therefore also 'upper-hull', a weaker
 *     condition). Every triangle of a triangulation of the hull polygon whose corners are hull vertices lies
 *     inside conv(S), so the points it owns form a respectful group. The best triangulation is found exactly
 *     by dynamic programming over chords.
 *
 *         v_j ●───────● v_i        Sub-polygon P(i, j) (i < j): hull vertices v_i … v_j, closed by the chord
 *            /   T   / \            v_i v_j; its triangulations choose an apex k (i < k < j) and recurse on
 *           /       /   \           P(i, k) and P(k, j). The root is the polygon P(0, h−1), closed by the hull
 *      v_k ●───────●     ●          edge v_{h−1} v_0 (v_0 = lexicographically smallest vertex, CCW order).
 *
 *     Who owns points on shared boundaries:
 *     - A non-vertex point on a chord belongs to the triangle on the ROOT side of the chord (the side holding
 *       hull edge v_{h−1}v_0; for chord v_i v_j, i < j, the side with the vertices outside i … j). One fixed rule.
 *     - Hull vertices (and points coincident with them) are shared by a whole fan of triangles. With
 *       `vertexOwnership: 'optimal'` (default) the DP also chooses, for each vertex, which incident triangle
 *       owns it — every choice is respectful since the vertex is a corner of that triangle. With 'root-side'
 *       the chord rule decides: a vertex goes to the triangle of its fan closest to the root.
 *     Why this matters: in convex position every point is a vertex. Root-side ownership gives the root triangle
 *     3 points and every other triangle only its apex, whatever the triangulation: log₂ n − (3/n)·log₂ 3 (a
 *     value that can pass for the triangulation optimum, but is not). Optimal ownership finds groups of 3 — log₂(n/3) when 3 | n — which is the
 *     exact convex-hull structural entropy there (a triangle inside conv(S) contains at most 3 points in
 *     convex position: each would be an extreme point of the triangle, i.e. a corner).
 *
 *     Counting (O(h·n·log h) exact orientation tests, then O(h²)): let R(i, j) = #points strictly right of the
 *     directed chord v_i→v_j. For a CCW polygon those are the points of P(i, j) not on the chord. Triangle
 *     (i, k, j) therefore holds R(i, j) − R(i, k) − R(k, j) points under the root-side rule (its apex v_k and
 *     its two child chords included) and the root triangle (0, k, h−1) n − R(0, k) − R(k, h−1). R(i, ·) comes
 *     from one angular bucketing per vertex: seen from v_i the other hull vertices are sorted by angle
 *     (convexity), so each point's bucket is a binary search on "p on or left of v_i→v_{i+t}" (a prefix of t).
 *     DP: maximise Σ_k n_k log₂ n_k (H = log₂ n − (1/n)·Σ_k n_k log₂ n_k). Root-side: one value per chord,
 *     O(h³). Optimal: four values per chord (whether v_i, resp. v_j, must be owned inside P(i, j)), 27
 *     ownership combinations per apex, O(27·h³).
 *
 * (b) `structuralSlabBound` — target 'upper-hull' only. Upper hull u_0 … u_{s−1} from left to right; slab i
 *     holds the points with u_i.x ≤ x < u_{i+1}.x (the last slab also x = u_{s−1}.x). Slab i lies in the
 *     triangle (u_i, u_{i+1}, (u_i.x, −M)) for M large, whose interior is below the upper hull (vertical left
 *     side, top side the hull edge). A triangle cannot have two vertical sides, so points on the line
 *     x = u_{s−1}.x strictly below u_{s−1} form one extra group (a thin triangle hanging from u_{s−1}). An
 *     inner vertex u_t is a corner of both slab t−1's and slab t's triangle; it (with its duplicates) joins
 *     whichever lowers the entropy (a two-state DP along the chain). It ignores the lower hull, so it bounds
 *     the upper-hull entropy, not the convex-hull one.
 *
 * Degenerate inputs: n = 0 → 0 bits; all points collinear (h ≤ 2) → one group, 0 bits (the points lie in a
 * degenerate triangle, the segment conv(S) itself).
 */
import { convexHull } from '../geometry/hull/index';
import { orient as ccw } from '../geometry/hull/orient';
import { compareLex } from '../shared/compare';

export type HullFunction = (points: Float64Array) => Uint32Array;

export interface StructuralBound {
  /** Entropy of the partition found, bits per point. An upper bound on the structural entropy of `target`. */
  bits: number;
  bound: 'triangulation' | 'slab';
  target: 'convex-hull' | 'upper-hull';
  /** Hull vertices (triangulation: convex hull; slab: upper hull). */
  h: number;
  n: number;
  /** Non-empty groups in the partition. */
  groups: number;
}

export interface TriangulationBound extends StructuralBound {
  bound: 'triangulation';
  vertexOwnership: 'optimal' | 'root-side';
  /** The optimal triangulation: triples of indices into `points` (hull vertices, CCW), root triangle first. */
  triangles?: Uint32Array;
  /** Triangle (index into `triangles`/3) owning each point; only with `labels: true`. */
  labels?: Uint32Array;
  /** Points owned by each triangle. */
  counts?: Uint32Array;
}

export interface TriangulationOptions {
  /** Convex hull function (CCW indices); defaults to the local monotone chain. */
  hull?: HullFunction;
  /** Also return the triangles, counts and each point's triangle. */
  labels?: boolean;
  /** See the module comment; default 'optimal'. */
  vertexOwnership?: 'optimal' | 'root-side';
  /** Refuse larger hulls (memory O(h²), time O(h³)); default 2000 ('optimal') / 4000 ('root-side'). */
  maxHullSize?: number;
}

/** n·log₂ n for n = 0 … max. */
function nLogNTable(max: number): Float64Array {
  const t = new Float64Array(max + 1);
  for (let c = 2; c <= max; c++) t[c] = c * Math.log2(c);
  return t;
}

/** Entropy in bits of a partition given its group sizes. */
export function partitionBits(counts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) s += counts[i] * Math.log2(counts[i]);
  return Math.max(0, Math.log2(n) - s / n);
}

/** Rotate a hull so that it starts at its lexicographically smallest vertex and runs CCW. */
function normaliseHull(points: Float64Array, hull: Uint32Array): Uint32Array {
  const h = hull.length;
  if (h < 3) return hull;
  let start = 0;
  for (let t = 1; t < h; t++) {
    const a = hull[t];
    const b = hull[start];
    if (compareLex(points, a, b) < 0) start = t;
  }
  let area2 = 0;
  for (let t = 0; t < h; t++) {
    const a = hull[t];
    const b = hull[(t + 1) % h];
    area2 += points[2 * a] * points[2 * b + 1] - points[2 * b] * points[2 * a + 1];
  }
  const out = new Uint32Array(h);
  for (let t = 0; t < h; t++) out[t] = area2 > 0 ? hull[(start + t) % h] : hull[(start - t + h) % h];
  return out;
}

/**
 * The convex hull (geometry/hull) in the order this module works in: counter-clockwise from the
 * lexicographically smallest vertex. The bound's conventions for points on shared chords are stated relative
 * to that start, so a brute-force oracle must enumerate triangulations over this order too.
 */
export function structuralHull(points: Float64Array): Uint32Array {
  return normaliseHull(points, convexHull(points));
}

/** For each point, the hull position t whose vertex it coincides with, or −1. Also the weight w_t of each vertex. */
function vertexCoincidence(points: Float64Array, hull: Uint32Array): { at: Int32Array; weight: Int32Array } {
  const n = points.length >> 1;
  const byX = new Map<number, Map<number, number>>();
  for (let t = 0; t < hull.length; t++) {
    const x = points[2 * hull[t]];
    let row = byX.get(x);
    if (!row) byX.set(x, (row = new Map()));
    row.set(points[2 * hull[t] + 1], t);
  }
  const at = new Int32Array(n).fill(-1);
  const weight = new Int32Array(hull.length);
  for (let p = 0; p < n; p++) {
    const t = byX.get(points[2 * p])?.get(points[2 * p + 1]);
    if (t !== undefined) {
      at[p] = t;
      weight[t]++;
    }
  }
  return { at, weight };
}

/**
 * Exact optimum over triangulations of the hull polygon (module comment (a)); an upper bound on the
 * convex-hull structural entropy, in bits.
 */
export function structuralTriangulationBound(points: Float64Array, options: TriangulationOptions = {}): TriangulationBound {
  const n = points.length >> 1;
  const ownership = options.vertexOwnership ?? 'optimal';
  const free = ownership === 'optimal';
  const base = { bound: 'triangulation' as const, target: 'convex-hull' as const, vertexOwnership: ownership, n };
  if (n === 0) return { ...base, bits: 0, h: 0, groups: 0 };
  const hull = normaliseHull(points, (options.hull ?? convexHull)(points));
  const h = hull.length;
  if (h < 3) {
    const extra = options.labels ? { labels: new Uint32Array(n), counts: Uint32Array.of(n), triangles: new Uint32Array(0) } : {};
    return { ...base, bits: 0, h, groups: 1, ...extra };
  }
  const maxH = options.maxHullSize ?? (free ? 2000 : 4000);
  if (h > maxH) throw new RangeError(`structuralTriangulationBound: hull has ${h} vertices (> ${maxH}); O(h³) DP refused`);

  const hx = new Float64Array(h);
  const hy = new Float64Array(h);
  for (let t = 0; t < h; t++) {
    hx[t] = points[2 * hull[t]];
    hy[t] = points[2 * hull[t] + 1];
  }
  const { at, weight } = vertexCoincidence(points, hull);

  // R[i·h + j] (j > i): points strictly right of v_i → v_j; RT[j·h + i] = R[i·h + j] for the DP's inner loop.
  const R = new Int32Array(h * h);
  const RT = new Int32Array(h * h);
  const bucket = new Int32Array(h);
  for (let i = 0; i < h - 2; i++) {
    const maxT = h - 1 - i;
    bucket.fill(0);
    const ax = hx[i];
    const ay = hy[i];
    for (let p = 0; p < n; p++) {
      const px = points[2 * p];
      const py = points[2 * p + 1];
      let lo = 1;
      let hi = maxT;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ccw(ax, ay, hx[i + mid], hy[i + mid], px, py) >= 0) lo = mid;
        else hi = mid - 1;
      }
      bucket[lo]++;
    }
    let acc = 0;
    for (let t = 1; t <= maxT; t++) {
      R[i * h + i + t] = acc;
      RT[(i + t) * h + i] = acc;
      acc += bucket[t];
    }
  }

  const f = nLogNTable(n);
  // Four DP tables, state s = 2·ci + cj: v_i (resp. v_j) must be owned by a triangle inside P(i, j).
  // Root-side ownership only ever uses s = 0 below the root.
  const states = free ? 4 : 1;
  const best: Float64Array[] = [];
  const bestT: Float64Array[] = [];
  const apex: Int32Array[] = [];
  for (let s = 0; s < states; s++) {
    best.push(new Float64Array(h * h).fill(-Infinity));
    bestT.push(new Float64Array(h * h).fill(-Infinity));
    apex.push(new Int32Array(h * h).fill(-1));
  }
  for (let i = 0; i + 1 < h; i++) {
    best[0][i * h + i + 1] = 0;
    bestT[0][(i + 1) * h + i] = 0;
  }

  // Combination codes: vk ∈ {0: T, 1: left, 2: right} + 3·[v_i → T] + 6·[v_j → T].
  let solvedCode = 0;
  const solve = (i: number, j: number, k: number, baseCount: number, s: number): number => {
    const ci = s >> 1;
    const cj = s & 1;
    const wi = weight[i];
    const wj = weight[j];
    const wk = weight[k];
    let top = -Infinity;
    let arg = 0;
    for (let vi = 0; vi <= ci; vi++) {
      const a = ci & (vi ^ 1);
      for (let vj = 0; vj <= cj; vj++) {
        const b = cj & (vj ^ 1);
        const c = baseCount + (vi ? wi : 0) + (vj ? wj : 0);
        const rowL = i * h + k;
        const colR = j * h + k;
        // v_k → T
        let v = bestL(a, 0, rowL) + bestR(0, b, colR) + f[c + wk];
        if (v > top) {
          top = v;
          arg = 3 * vi + 6 * vj;
        }
        if (!free) continue;
        v = bestL(a, 1, rowL) + bestR(0, b, colR) + f[c];
        if (v > top) {
          top = v;
          arg = 1 + 3 * vi + 6 * vj;
        }
        v = bestL(a, 0, rowL) + bestR(1, b, colR) + f[c];
        if (v > top) {
          top = v;
          arg = 2 + 3 * vi + 6 * vj;
        }
      }
    }
    solvedCode = arg;
    return top;
  };
  const bestL = (a: number, b: number, idx: number): number => best[2 * a + b][idx];
  const bestR = (a: number, b: number, idx: number): number => bestT[2 * a + b][idx];

  // Main DP. All four states of a chord are filled in one pass over its apexes; g(a, b, c) below is the best
  // over v_k's owner (T, left, right) given the children's states a (v_i inside P(i, k)) and b (v_j inside
  // P(k, j)) and the count c the triangle has before v_k. Codes are recomputed by `solve` on reconstruction.
  const [B0, B1, B2, B3] = free ? best : [best[0], best[0], best[0], best[0]];
  const [T0, T1, T2, T3] = free ? bestT : [bestT[0], bestT[0], bestT[0], bestT[0]];
  for (let len = 2; len < h - 1; len++) {
    for (let i = 0; i + len < h; i++) {
      const j = i + len;
      const rowI = i * h;
      const colJ = j * h;
      const rij = R[rowI + j];
      const wi = weight[i];
      const wj = weight[j];
      let top0 = -Infinity;
      let top1 = -Infinity;
      let top2 = -Infinity;
      let top3 = -Infinity;
      let k0 = -1;
      let k1 = -1;
      let k2 = -1;
      let k3 = -1;
      for (let k = i + 1; k < j; k++) {
        const wk = weight[k];
        const c = rij - R[rowI + k] - RT[colJ + k] - wk;
        const l00 = B0[rowI + k];
        const r00 = T0[colJ + k];
        if (!free) {
          const v = l00 + r00 + f[c + wk];
          if (v > top0) {
            top0 = v;
            k0 = k;
          }
          continue;
        }
        const l01 = B1[rowI + k];
        const l10 = B2[rowI + k];
        const l11 = B3[rowI + k];
        const r01 = T1[colJ + k];
        const r10 = T2[colJ + k];
        const r11 = T3[colJ + k];
        // g(a, b, x) = max(l_a0 + r_0b + f[x + wk], l_a1 + r_0b + f[x], l_a0 + r_1b + f[x])
        const g00c = Math.max(l00 + r00 + f[c + wk], Math.max(l01 + r00, l00 + r10) + f[c]);
        const g00i = Math.max(l00 + r00 + f[c + wi + wk], Math.max(l01 + r00, l00 + r10) + f[c + wi]);
        const g00j = Math.max(l00 + r00 + f[c + wj + wk], Math.max(l01 + r00, l00 + r10) + f[c + wj]);
        const g00ij = Math.max(l00 + r00 + f[c + wi + wj + wk], Math.max(l01 + r00, l00 + r10) + f[c + wi + wj]);
        const g10c = Math.max(l10 + r00 + f[c + wk], Math.max(l11 + r00, l10 + r10) + f[c]);
        const g10j = Math.max(l10 + r00 + f[c + wj + wk], Math.max(l11 + r00, l10 + r10) + f[c + wj]);
        const g01c = Math.max(l00 + r01 + f[c + wk], Math.max(l01 + r01, l00 + r11) + f[c]);
        const g01i = Math.max(l00 + r01 + f[c + wi + wk], Math.max(l01 + r01, l00 + r11) + f[c + wi]);
        const g11c = Math.max(l10 + r01 + f[c + wk], Math.max(l11 + r01, l10 + r11) + f[c]);
        const v0 = g00c;
        const v1 = Math.max(g00j, g01c);
        const v2 = Math.max(g00i, g10c);
        const v3 = Math.max(Math.max(g00ij, g10j), Math.max(g01i, g11c));
        if (v0 > top0) {
          top0 = v0;
          k0 = k;
        }
        if (v1 > top1) {
          top1 = v1;
          k1 = k;
        }
        if (v2 > top2) {
          top2 = v2;
          k2 = k;
        }
        if (v3 > top3) {
          top3 = v3;
          k3 = k;
        }
      }
      best[0][rowI + j] = top0;
      bestT[0][colJ + i] = top0;
      apex[0][rowI + j] = k0;
      if (free) {
        best[1][rowI + j] = top1;
        bestT[1][colJ + i] = top1;
        apex[1][rowI + j] = k1;
        best[2][rowI + j] = top2;
        bestT[2][colJ + i] = top2;
        apex[2][rowI + j] = k2;
        best[3][rowI + j] = top3;
        bestT[3][colJ + i] = top3;
        apex[3][rowI + j] = k3;
      }
    }
  }

  // Root P(0, h−1): both v_0 and v_{h−1} are owned inside (state 3 when free); under root-side ownership
  // the root triangle takes them (vi = vj = 1 forced).
  const last = h - 1;
  let rootTop = -Infinity;
  let rootK = -1;
  let rootCode = 0;
  for (let k = 1; k < last; k++) {
    const inner = n - R[k] - RT[last * h + k] - weight[0] - weight[k] - weight[last];
    if (free) {
      const v = solve(0, last, k, inner, 3);
      if (v > rootTop) [rootTop, rootK, rootCode] = [v, k, solvedCode];
    } else {
      const v = best[0][k] + bestT[0][last * h + k] + f[inner + weight[0] + weight[k] + weight[last]];
      if (v > rootTop) [rootTop, rootK, rootCode] = [v, k, 9];
    }
  }

  const childCode = (i: number, j: number, state: number): number => {
    const k = apex[state][i * h + j];
    solve(i, j, k, R[i * h + j] - R[i * h + k] - R[k * h + j] - weight[k], state);
    return solvedCode;
  };

  // Reconstruct triangles (root first), their counts and the vertex owners.
  const tri: number[] = [];
  const triApex: number[] = [];
  const counts: number[] = [];
  const vertexOwner = new Int32Array(h).fill(-1);
  const triIndex = new Int32Array(h * h).fill(-1);
  const stack: Array<[number, number, number, number, number]> = [[0, last, 3, rootK, rootCode]];
  while (stack.length > 0) {
    const [i, j, s, k, c] = stack.pop()!;
    const vkOpt = c % 3;
    const vi = Math.floor(c / 3) % 2;
    const vj = Math.floor(c / 6);
    const id = counts.length;
    triIndex[i * h + j] = id;
    tri.push(hull[i], hull[k], hull[j]);
    triApex.push(k);
    const isRoot = i === 0 && j === last;
    const inner = isRoot ? n - R[k] - R[k * h + last] - weight[0] - weight[k] - weight[last] : R[i * h + j] - R[i * h + k] - R[k * h + j] - weight[k];
    counts.push(inner + (vi ? weight[i] : 0) + (vj ? weight[j] : 0) + (vkOpt === 0 ? weight[k] : 0));
    if (vi) vertexOwner[i] = id;
    if (vj) vertexOwner[j] = id;
    if (vkOpt === 0) vertexOwner[k] = id;
    const ci = s >> 1;
    const cj = s & 1;
    const a = ci & (vi ^ 1);
    const b = cj & (vj ^ 1);
    const left = free ? 2 * a + (vkOpt === 1 ? 1 : 0) : 0;
    const right = free ? 2 * (vkOpt === 2 ? 1 : 0) + b : 0;
    if (j - k >= 2) stack.push([k, j, right, apex[right][k * h + j], childCode(k, j, right)]);
    if (k - i >= 2) stack.push([i, k, left, apex[left][i * h + k], childCode(i, k, left)]);
  }
  const countsArr = Uint32Array.from(counts);
  let groups = 0;
  for (const c of countsArr) if (c > 0) groups++;
  const result: TriangulationBound = { ...base, bits: partitionBits(countsArr), h, groups };
  if (!options.labels) return result;

  const labels = new Uint32Array(n);
  for (let p = 0; p < n; p++) {
    if (at[p] >= 0) {
      labels[p] = vertexOwner[at[p]];
      continue;
    }
    const px = points[2 * p];
    const py = points[2 * p + 1];
    let i = 0;
    let j = last;
    for (;;) {
      const k = triApex[triIndex[i * h + j]];
      if (k - i >= 2 && ccw(hx[i], hy[i], hx[k], hy[k], px, py) < 0) j = k;
      else if (j - k >= 2 && ccw(hx[k], hy[k], hx[j], hy[j], px, py) < 0) i = k;
      else break;
    }
    labels[p] = triIndex[i * h + j];
  }
  return { ...result, triangles: Uint32Array.from(tri), labels, counts: countsArr };
}

/** The upper hull from left to right: the CCW hull from its rightmost-topmost to its leftmost-topmost vertex, reversed. */
export function upperHullFromHull(points: Float64Array, hull: Uint32Array): Uint32Array {
  const h = hull.length;
  if (h <= 1) return hull.slice();
  const ordered = h >= 3 ? normaliseHull(points, hull) : hull;
  const beats = (a: number, b: number, right: boolean): boolean => {
    const dx = points[2 * a] - points[2 * b];
    if (dx !== 0) return right ? dx > 0 : dx < 0;
    return points[2 * a + 1] > points[2 * b + 1];
  };
  let r = 0;
  let l = 0;
  for (let t = 1; t < h; t++) {
    if (beats(ordered[t], ordered[r], true)) r = t;
    if (beats(ordered[t], ordered[l], false)) l = t;
  }
  const out: number[] = [];
  for (let t = r; ; t = (t + 1) % h) {
    out.push(ordered[t]);
    if (t === l) break;
  }
  return Uint32Array.from(out.reverse());
}

/** Upper-hull slab partition (module comment (b)); an upper bound on the upper-hull structural entropy, bits. */
export function structuralSlabBound(points: Float64Array, options: { hull?: HullFunction } = {}): StructuralBound & { counts: Uint32Array } {
  const n = points.length >> 1;
  const base = { bound: 'slab' as const, target: 'upper-hull' as const, n };
  if (n === 0) return { ...base, bits: 0, h: 0, groups: 0, counts: new Uint32Array(0) };
  const upper = upperHullFromHull(points, (options.hull ?? convexHull)(points));
  const s = upper.length;
  if (s < 2) return { ...base, bits: 0, h: s, groups: 1, counts: Uint32Array.of(n) };
  const ux = new Float64Array(s);
  const uy = new Float64Array(s);
  for (let t = 0; t < s; t++) {
    ux[t] = points[2 * upper[t]];
    uy[t] = points[2 * upper[t] + 1];
  }
  // fixed[0 … s−2]: slab points other than upper-hull vertices; fixed[s−1]: the extra group below u_{s−1}.
  const fixed = new Float64Array(s);
  const w = new Float64Array(s);
  for (let p = 0; p < n; p++) {
    const x = points[2 * p];
    const y = points[2 * p + 1];
    let lo = 0;
    let hi = s - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ux[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    if (x === ux[lo] && y === uy[lo]) w[lo]++;
    else if (lo === s - 1) fixed[s - 1]++;
    else fixed[lo]++;
  }
  // Two-state DP along the chain: u_0 joins slab 0, u_{s−1} slab s−2, an inner u_t slab t−1 or slab t.
  // state = whether u_t joined slab t−1 (left). value = best Σ c·log₂ c over slabs 0 … t−1.
  const f = (c: number): number => (c > 1 ? c * Math.log2(c) : 0);
  const choice = new Uint8Array(s);
  // dp[t][joinedLeft]: best over slabs < t given u_t's choice; slab t−1 is closed once u_t decides.
  let prevLeft = -Infinity;
  let prevRight = 0;
  const fromLeft = new Uint8Array(s);
  const fromRight = new Uint8Array(s);
  for (let t = 1; t < s; t++) {
    // Slab t−1 = fixed[t−1] + (u_{t−1} joined right ? w[t−1] : 0) + (u_t joins left ? w[t] : 0).
    const canRight = t < s - 1;
    const l1 = prevLeft + f(fixed[t - 1] + w[t]);
    const l2 = prevRight + f(fixed[t - 1] + w[t - 1] + w[t]);
    const r1 = prevLeft + f(fixed[t - 1]);
    const r2 = prevRight + f(fixed[t - 1] + w[t - 1]);
    const nextLeft = Math.max(l1, l2);
    fromLeft[t] = l2 > l1 ? 1 : 0;
    const nextRight = canRight ? Math.max(r1, r2) : -Infinity;
    fromRight[t] = r2 > r1 ? 1 : 0;
    prevLeft = nextLeft;
    prevRight = nextRight;
  }
  // u_{s−1} joins the last slab (left): backtrack.
  let state = 1;
  for (let t = s - 1; t >= 1; t--) {
    choice[t] = state;
    state = state === 1 ? (fromLeft[t] ? 0 : 1) : fromRight[t] ? 0 : 1;
  }
  const counts = new Uint32Array(s);
  for (let t = 0; t < s - 1; t++) counts[t] = fixed[t];
  counts[s - 1] = fixed[s - 1];
  counts[0] += w[0];
  for (let t = 1; t < s; t++) {
    if (choice[t] === 1) counts[t - 1] += w[t];
    else counts[t] += w[t];
  }
  let groups = 0;
  for (const c of counts) if (c > 0) groups++;
  return { ...base, bits: partitionBits(counts), h: s, groups, counts };
}
