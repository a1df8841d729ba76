/**
 * Chan's output-sensitive hull (Chan 1996, "Optimal output-sensitive convex hull algorithms in two and three
 * dimensions"), O(n log h).
 *
 * Round t guesses m = min(2^(2^t), n) (the squared guess: m = 4, 16, 256, 65536, …), splits the input into
 * ⌈n/m⌉ groups of m consecutive indices, hulls every group with the monotone chain (O(n log m)), then gift-wraps
 * at most m steps, asking each group for its tangent by binary search (O((n/m) log m) per step). A round that
 * needs more than m steps is abandoned; the rounds' costs form a geometric series dominated by the last,
 * O(n log h).
 *
 * As Chan suggests, the wrap is done per chain: the upper hull from L (lexicographic minimum) to R
 * (maximum), then the lower hull from R back to L, which is the upper hull of the point set turned by 180°
 * (orient is invariant under that turn, lexicographic order flips). For the upper wrap at vertex p each
 * group's upper chain u₀ … u_k (left to right, clockwise turns) is searched only among vertices
 * lexicographically after p; there the predicate
 *
 *     advance(i) ⇔ orient(p, uᵢ, uᵢ₊₁) ≥ 0      (uᵢ₊₁ on or above the ray p→uᵢ)
 *
 * is true on a prefix and false after it: p lies on or above every supporting line of the concave chain, and
 * those lines' heights at x = p.x grow along the chain. The tangent is the vertex after the last "true"; on a
 * tie (collinear) it moves on, which is what keeps collinear points off the hull's edges. Across groups the
 * candidate with the largest slope wins, ties by distance (farthest), then by lowest index (duplicates).
 */
import { orient } from './orient';
import { introsortLex } from './sort';
import { rotateToLowest } from './result';
import { compareLex as lexCmp } from '../../shared/compare';

interface Groups {
  /** Vertex indices of every group's upper chain (left→right) and reversed lower chain (right→left). */
  upper: Uint32Array;
  lower: Uint32Array;
  upStart: Uint32Array;
  upLen: Uint32Array;
  loStart: Uint32Array;
  loLen: Uint32Array;
  count: number;
}

function buildGroups(points: Float64Array, idx: Uint32Array, m: number, g: Groups): void {
  const n = idx.length;
  const P = points;
  let upTop = 0;
  let loTop = 0;
  let gi = 0;
  for (let start = 0; start < n; start += m, gi++) {
    const end = Math.min(n, start + m);
    introsortLex(P, idx, start, end);
    // Upper chain: pop while the turn is not strictly clockwise.
    const u0 = upTop;
    for (let k = start; k < end; k++) {
      const i = idx[k];
      if (upTop > u0 && lexCmp(P, i, g.upper[upTop - 1]) === 0) continue;
      const x = P[2 * i], y = P[2 * i + 1];
      while (upTop - u0 >= 2) {
        const a = g.upper[upTop - 2], b = g.upper[upTop - 1];
        if (orient(P[2 * a], P[2 * a + 1], P[2 * b], P[2 * b + 1], x, y) < 0) break;
        upTop--;
      }
      g.upper[upTop++] = i;
    }
    g.upStart[gi] = u0;
    g.upLen[gi] = upTop - u0;
    // Lower chain built right→left, which is the upper chain of the turned point set.
    const l0 = loTop;
    for (let k = end - 1; k >= start; k--) {
      const i = idx[k];
      // Walking right→left meets duplicates highest index first; keep overwriting so the lowest survives.
      if (loTop > l0 && lexCmp(P, i, g.lower[loTop - 1]) === 0) {
        g.lower[loTop - 1] = i;
        continue;
      }
      const x = P[2 * i], y = P[2 * i + 1];
      while (loTop - l0 >= 2) {
        const a = g.lower[loTop - 2], b = g.lower[loTop - 1];
        if (orient(P[2 * a], P[2 * a + 1], P[2 * b], P[2 * b + 1], x, y) < 0) break;
        loTop--;
      }
      g.lower[loTop++] = i;
    }
    g.loStart[gi] = l0;
    g.loLen[gi] = loTop - l0;
  }
  g.count = gi;
}

/**
 * Tangent from p on one chain (stored in `chain[s, s+len)`, ordered along the wrap direction `dir`: +1 for
 * upper chains, −1 for reversed lower chains). Returns the vertex index or −1 if the chain has no vertex
 * strictly after p in the wrap direction.
 */
function tangent(points: Float64Array, chain: Uint32Array, s: number, len: number, p: number, dir: number): number {
  // First position whose vertex comes strictly after p (lexCmp · dir > 0); the chain is sorted that way.
  let lo = s;
  let hi = s + len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lexCmp(points, chain[mid], p) * dir > 0) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  const end = s + len;
  if (first >= end) return -1;
  const px = points[2 * p], py = points[2 * p + 1];
  // Last i in [first, end−1) with advance(i); the answer is the vertex after it.
  let a = first;
  let b = end - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const u = chain[mid], v = chain[mid + 1];
    if (orient(px, py, points[2 * u], points[2 * u + 1], points[2 * v], points[2 * v + 1]) >= 0) a = mid + 1;
    else b = mid;
  }
  return chain[a];
}

/** Is candidate c a better next vertex than q, seen from p, wrapping in direction dir? */
function better(points: Float64Array, p: number, q: number, c: number, dir: number): boolean {
  const o = orient(
    points[2 * p], points[2 * p + 1],
    points[2 * q], points[2 * q + 1],
    points[2 * c], points[2 * c + 1],
  );
  if (o !== 0) return o > 0;
  const l = lexCmp(points, c, q) * dir;
  if (l !== 0) return l > 0;
  return c < q;
}

/** Wraps from `from` to `to` along one chain family; writes the path (without `to`) into path and returns its
 * length, or −1 if it needs more than `limit` steps. */
function wrap(
  points: Float64Array, g: Groups, chains: Uint32Array, starts: Uint32Array, lens: Uint32Array,
  from: number, to: number, dir: number, limit: number, path: Uint32Array, offset: number,
): number {
  let p = from;
  let len = 0;
  for (;;) {
    if (lexCmp(points, p, to) === 0) return len;
    if (len >= limit) return -1;
    path[offset + len++] = p;
    let q = -1;
    for (let gi = 0; gi < g.count; gi++) {
      const c = tangent(points, chains, starts[gi], lens[gi], p, dir);
      if (c < 0) continue;
      if (q < 0 || better(points, p, q, c, dir)) q = c;
    }
    p = q;
  }
}

export function chanHull(points: Float64Array): Uint32Array {
  const n = points.length >> 1;
  if (n === 0) return new Uint32Array(0);
  let iL = 0;
  let iR = 0;
  for (let i = 1; i < n; i++) {
    if (lexCmp(points, i, iL) < 0) iL = i;
    if (lexCmp(points, i, iR) > 0) iR = i;
  }
  if (iL === iR || lexCmp(points, iL, iR) === 0) return Uint32Array.of(iL);

  const idx = new Uint32Array(n);
  const maxGroups = n;
  const g: Groups = {
    upper: new Uint32Array(n),
    lower: new Uint32Array(n),
    upStart: new Uint32Array(maxGroups),
    upLen: new Uint32Array(maxGroups),
    loStart: new Uint32Array(maxGroups),
    loLen: new Uint32Array(maxGroups),
    count: 0,
  };
  const path = new Uint32Array(2 * n + 2);
  for (let t = 1; ; t++) {
    const m = t >= 5 ? n : Math.min(n, 2 ** (2 ** t));
    for (let i = 0; i < n; i++) idx[i] = i;
    buildGroups(points, idx, m, g);
    const up = wrap(points, g, g.upper, g.upStart, g.upLen, iL, iR, 1, m, path, 0);
    if (up < 0) continue;
    const lo = wrap(points, g, g.lower, g.loStart, g.loLen, iR, iL, -1, m, path, up);
    if (lo < 0) continue;
    // path = [L, upper…, R, lower…] runs clockwise; reverse it for CCW.
    const h = up + lo;
    const cycle = new Uint32Array(h);
    for (let j = 0; j < h; j++) cycle[j] = path[(h - j) % h];
    return rotateToLowest(points, cycle);
  }
}
