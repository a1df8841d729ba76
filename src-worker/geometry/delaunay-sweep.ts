/**
 * Delaunay triangulation by delaunator's sweep-hull (mapbox/delaunator 5.1.0, ISC licence, © Mapbox; notice
 * below), ported to TypeScript with one change that removes its quadratic cliff, one that keeps its memory
 * accesses local, and counters for tests.
 *
 * The cliff: when a flip turns a hull edge into an interior one, delaunator finds the hull vertex that pointed
 * at the old edge by walking the whole hull (`do … while (e !== hullStart)`). Inputs with h ≈ n (points on a
 * circle) flip a hull edge about once per third point, so the walk costs Θ(n·h): 10⁶ points on a circle took
 * 541 s. The half-edge `bl` that leaves the hull starts at vertex p1 (a flip rewrites `triangles[a]` and
 * `triangles[b]`, never `triangles[bl]`), and `hullTri[v]` is the hull half-edge that starts at v, so the vertex
 * is p1 itself: an O(1) check, with the walk kept only as a fallback (`hullScanSteps` counts it; it has stayed 0
 * on every input tried).
 *
 * Locality: delaunator inserts points in order of distance from the seed circle's centre but keeps their input
 * indices, so every coordinate read, hull-list update and new triangle lands at a random place in arrays of tens
 * of megabytes at 10⁶ points. Here the points are copied in insertion order and the sweep runs on those indices
 * (the front, and the triangles it flips, were mostly made by recent points); the triangles and hull are mapped
 * back to input indices at the end. The distances are sorted by a radix pass instead of a quicksort through
 * `dists[ids[j]]`. The arithmetic and its order are delaunator's, so the output is the same arrays.
 *
 * The in-circle test stays delaunator's floating-point one: robust-predicates' adaptive `incircle` was tried and
 * on 10⁶ points on a circle it takes the exact path for nearly every test and doubles the flips (6.4 s against
 * 1.2 s). A flip needs the fourth point strictly inside, so exactly cocircular points with exactly computed
 * determinants (small integers) are not flipped, and any triangulation of a cocircular set is Delaunay.
 *
 * ISC License. Copyright (c) 2026, Mapbox. Permission to use, copy, modify, and/or distribute this software for
 * any purpose with or without fee is hereby granted, provided that the above copyright notice and this
 * permission notice appear in all copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL
 * WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN
 * NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
 * TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */
import { orient2d } from 'robust-predicates';

const EPSILON = Math.pow(2, -52);
const EDGE_STACK = new Uint32Array(512);

/** Work counters of one triangulation: each is O(n) on every input unless the sweep has a cliff. */
export interface SweepCounters {
  flips: number;
  /** Steps of the fallback whole-hull walk after a flip of a hull edge. */
  hullScanSteps: number;
  /** Steps along the hull from the angular-hash entry to the first visible edge. */
  hashWalkSteps: number;
}

export class SweepDelaunay {
  readonly coords: Float64Array;
  /** The input in insertion order (point k of the sweep is the k-th nearest to the seed circle's centre): the
   * sweep works on these indices, so the hull front, the points it touches and the triangles it flips stay
   * close together in memory instead of scattered over the whole input. */
  private sorted: Float64Array;
  triangles: Uint32Array;
  halfedges: Int32Array;
  hull: Uint32Array;
  readonly counters: SweepCounters = { flips: 0, hullScanSteps: 0, hashWalkSteps: 0 };

  private trianglesLen = 0;
  private readonly hashSize: number;
  private readonly hullPrev: Uint32Array;
  private readonly hullNext: Uint32Array;
  private readonly hullTri: Uint32Array;
  private readonly hullHash: Int32Array;
  private readonly ids: Uint32Array;
  private readonly dists: Float64Array;
  private readonly allTriangles: Uint32Array;
  private readonly allHalfedges: Int32Array;
  private cx = 0;
  private cy = 0;
  private hullStart = 0;

  constructor(coords: Float64Array) {
    const n = coords.length >> 1;
    this.coords = coords;
    this.sorted = coords;
    const maxTriangles = Math.max(2 * n - 5, 0);
    this.allTriangles = new Uint32Array(maxTriangles * 3);
    this.allHalfedges = new Int32Array(maxTriangles * 3);
    this.hashSize = Math.ceil(Math.sqrt(n));
    this.hullPrev = new Uint32Array(n);
    this.hullNext = new Uint32Array(n);
    this.hullTri = new Uint32Array(n);
    this.hullHash = new Int32Array(this.hashSize);
    this.ids = new Uint32Array(n);
    this.dists = new Float64Array(n);
    this.triangles = this.allTriangles;
    this.halfedges = this.allHalfedges;
    this.hull = this.allTriangles;
    this.update();
  }

  private update(): void {
    const { coords, hullPrev, hullNext, hullTri, hullHash } = this;
    const n = coords.length >> 1;

    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = coords[2 * i];
      const y = coords[2 * i + 1];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
      this.ids[i] = i;
    }
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;

    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    for (let i = 0, minDist = Infinity; i < n; i++) {
      const d = dist(cx, cy, coords[2 * i], coords[2 * i + 1]);
      if (d < minDist) {
        i0 = i;
        minDist = d;
      }
    }
    const i0x = coords[2 * i0];
    const i0y = coords[2 * i0 + 1];
    for (let i = 0, minDist = Infinity; i < n; i++) {
      if (i === i0) continue;
      const d = dist(i0x, i0y, coords[2 * i], coords[2 * i + 1]);
      if (d < minDist && d > 0) {
        i1 = i;
        minDist = d;
      }
    }
    let i1x = coords[2 * i1];
    let i1y = coords[2 * i1 + 1];
    let minRadius = Infinity;
    for (let i = 0; i < n; i++) {
      if (i === i0 || i === i1) continue;
      const r = circumradius(i0x, i0y, i1x, i1y, coords[2 * i], coords[2 * i + 1]);
      if (r < minRadius) {
        i2 = i;
        minRadius = r;
      }
    }
    let i2x = coords[2 * i2];
    let i2y = coords[2 * i2 + 1];

    if (minRadius === Infinity) {
      // Collinear input: the hull is the points ordered along the line, no triangles.
      for (let i = 0; i < n; i++) this.dists[i] = coords[2 * i] - coords[0] || coords[2 * i + 1] - coords[1];
      quicksort(this.ids, this.dists, 0, n - 1);
      const hull = new Uint32Array(n);
      let j = 0;
      for (let i = 0, d0 = -Infinity; i < n; i++) {
        const id = this.ids[i];
        const d = this.dists[id];
        if (d > d0) {
          hull[j++] = id;
          d0 = d;
        }
      }
      this.hull = hull.subarray(0, j);
      this.triangles = new Uint32Array(0);
      this.halfedges = new Int32Array(0);
      return;
    }

    if (orient2d(i0x, i0y, i1x, i1y, i2x, i2y) < 0) {
      const i = i1;
      const x = i1x;
      const y = i1y;
      i1 = i2;
      i1x = i2x;
      i1y = i2y;
      i2 = i;
      i2x = x;
      i2y = y;
    }

    circumcenter(i0x, i0y, i1x, i1y, i2x, i2y);
    this.cx = CENTER[0];
    this.cy = CENTER[1];
    for (let i = 0; i < n; i++) this.dists[i] = dist(coords[2 * i], coords[2 * i + 1], this.cx, this.cy);
    sortByDistance(this.ids, this.dists, n);

    const ids = this.ids;
    const sorted = new Float64Array(2 * n);
    const seeds = [i0, i1, i2];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      sorted[2 * k] = coords[2 * id];
      sorted[2 * k + 1] = coords[2 * id + 1];
      if (id === seeds[0]) i0 = k;
      else if (id === seeds[1]) i1 = k;
      else if (id === seeds[2]) i2 = k;
    }
    this.sorted = sorted;

    this.hullStart = i0;
    let hullSize = 3;
    hullNext[i0] = hullPrev[i2] = i1;
    hullNext[i1] = hullPrev[i0] = i2;
    hullNext[i2] = hullPrev[i1] = i0;
    hullTri[i0] = 0;
    hullTri[i1] = 1;
    hullTri[i2] = 2;
    hullHash.fill(-1);
    hullHash[this.hashKey(i0x, i0y)] = i0;
    hullHash[this.hashKey(i1x, i1y)] = i1;
    hullHash[this.hashKey(i2x, i2y)] = i2;

    this.trianglesLen = 0;
    this.addTriangle(i0, i1, i2, -1, -1, -1);

    for (let i = 0, xp = 0, yp = 0; i < n; i++) {
      const x = sorted[2 * i];
      const y = sorted[2 * i + 1];
      if (i > 0 && Math.abs(x - xp) <= EPSILON && Math.abs(y - yp) <= EPSILON) continue;
      xp = x;
      yp = y;
      if (i === i0 || i === i1 || i === i2) continue;

      let start = 0;
      for (let j = 0, key = this.hashKey(x, y); j < this.hashSize; j++) {
        start = hullHash[(key + j) % this.hashSize];
        if (start !== -1 && start !== hullNext[start]) break;
      }
      start = hullPrev[start];
      let e = start;
      let q = 0;
      while ((q = hullNext[e]), orient2d(x, y, sorted[2 * e], sorted[2 * e + 1], sorted[2 * q], sorted[2 * q + 1]) >= 0) {
        this.counters.hashWalkSteps++;
        e = q;
        if (e === start) {
          e = -1;
          break;
        }
      }
      if (e === -1) continue;

      let t = this.addTriangle(e, i, hullNext[e], -1, -1, hullTri[e]);
      hullTri[i] = this.legalize(t + 2);
      hullTri[e] = t;
      hullSize++;

      let m = hullNext[e];
      while ((q = hullNext[m]), orient2d(x, y, sorted[2 * m], sorted[2 * m + 1], sorted[2 * q], sorted[2 * q + 1]) < 0) {
        t = this.addTriangle(m, i, q, hullTri[i], -1, hullTri[m]);
        hullTri[i] = this.legalize(t + 2);
        hullNext[m] = m;
        hullSize--;
        m = q;
      }
      if (e === start) {
        while ((q = hullPrev[e]), orient2d(x, y, sorted[2 * q], sorted[2 * q + 1], sorted[2 * e], sorted[2 * e + 1]) < 0) {
          t = this.addTriangle(q, i, e, -1, hullTri[e], hullTri[q]);
          this.legalize(t + 2);
          hullTri[q] = t;
          hullNext[e] = e;
          hullSize--;
          e = q;
        }
      }
      this.hullStart = hullPrev[i] = e;
      hullNext[e] = hullPrev[m] = i;
      hullNext[i] = m;
      hullHash[this.hashKey(x, y)] = i;
      hullHash[this.hashKey(sorted[2 * e], sorted[2 * e + 1])] = e;
    }

    this.hull = new Uint32Array(hullSize);
    for (let i = 0, e = this.hullStart; i < hullSize; i++) {
      this.hull[i] = ids[e];
      e = hullNext[e];
    }
    const triangles = this.allTriangles;
    for (let t = 0; t < this.trianglesLen; t++) triangles[t] = ids[triangles[t]];
    this.triangles = this.allTriangles.subarray(0, this.trianglesLen);
    this.halfedges = this.allHalfedges.subarray(0, this.trianglesLen);
  }

  private hashKey(x: number, y: number): number {
    return Math.floor(pseudoAngle(x - this.cx, y - this.cy) * this.hashSize) % this.hashSize;
  }

  /**
   * Flips the edge of half-edge a, and recursively the edges it exposes, until each is locally Delaunay.
   *
   *           pl                    pl
   *          /||\                  /  \
   *       al/ || \bl            al/    \a
   *        /  ||  \              /      \
   *       /  a||b  \    flip    /___ar___\
   *     p0\   ||   /p1   =>   p0\---bl---/p1
   *        \  ||  /              \      /
   *       ar\ || /br             b\    /br
   *          \||/                  \  /
   *           pr                    pr
   */
  private legalize(a: number): number {
    const { allTriangles: triangles, allHalfedges: halfedges, sorted: coords, hullTri } = this;
    let i = 0;
    let ar = 0;
    for (;;) {
      const b = halfedges[a];
      const a0 = a - (a % 3);
      ar = a0 + ((a + 2) % 3);
      if (b === -1) {
        if (i === 0) break;
        a = EDGE_STACK[--i];
        continue;
      }
      const b0 = b - (b % 3);
      const al = a0 + ((a + 1) % 3);
      const bl = b0 + ((b + 2) % 3);
      const p0 = triangles[ar];
      const pr = triangles[a];
      const pl = triangles[al];
      const p1 = triangles[bl];
      const illegal = inCircle(
        coords[2 * p0], coords[2 * p0 + 1],
        coords[2 * pr], coords[2 * pr + 1],
        coords[2 * pl], coords[2 * pl + 1],
        coords[2 * p1], coords[2 * p1 + 1]);
      if (illegal) {
        this.counters.flips++;
        triangles[a] = p1;
        triangles[b] = p0;
        const hbl = halfedges[bl];
        if (hbl === -1) {
          if (hullTri[p1] === bl) hullTri[p1] = a;
          else {
            let e = this.hullStart;
            do {
              this.counters.hullScanSteps++;
              if (hullTri[e] === bl) {
                hullTri[e] = a;
                break;
              }
              e = this.hullPrev[e];
            } while (e !== this.hullStart);
          }
        }
        this.link(a, hbl);
        this.link(b, halfedges[ar]);
        this.link(ar, bl);
        const br = b0 + ((b + 1) % 3);
        // Delaunator's cap: only an extremely degenerate input fills 512 pending edges.
        if (i < EDGE_STACK.length) EDGE_STACK[i++] = br;
      } else {
        if (i === 0) break;
        a = EDGE_STACK[--i];
      }
    }
    return ar;
  }

  private link(a: number, b: number): void {
    this.allHalfedges[a] = b;
    if (b !== -1) this.allHalfedges[b] = a;
  }

  private addTriangle(i0: number, i1: number, i2: number, a: number, b: number, c: number): number {
    const t = this.trianglesLen;
    this.allTriangles[t] = i0;
    this.allTriangles[t + 1] = i1;
    this.allTriangles[t + 2] = i2;
    this.link(t, a);
    this.link(t + 1, b);
    this.link(t + 2, c);
    this.trianglesLen += 3;
    return t;
  }
}

/** Monotone in the real angle, without trigonometry. */
function pseudoAngle(dx: number, dy: number): number {
  const p = dx / (Math.abs(dx) + Math.abs(dy));
  return (dy > 0 ? 3 - p : 1 + p) / 4;
}

/** True when p is strictly inside the circle through a, b, c (delaunator's orientation). */
function inCircle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, px: number, py: number): boolean {
  const dx = ax - px;
  const dy = ay - py;
  const ex = bx - px;
  const ey = by - py;
  const fx = cx - px;
  const fy = cy - py;
  const ap = dx * dx + dy * dy;
  const bp = ex * ex + ey * ey;
  const cp = fx * fx + fy * fy;
  return dx * (ey * cp - bp * fy) - dy * (ex * cp - bp * fx) + ap * (ex * fy - ey * fx) < 0;
}

function dist(ax: number, ay: number, bx: number, by: number): number {
  const dx = ax - bx;
  const dy = ay - by;
  return dx * dx + dy * dy;
}

function circumradius(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const ex = cx - ax;
  const ey = cy - ay;
  const bl = dx * dx + dy * dy;
  const cl = ex * ex + ey * ey;
  const d = 0.5 / (dx * ey - dy * ex);
  const x = (ey * bl - dy * cl) * d;
  const y = (dx * cl - ex * bl) * d;
  return x * x + y * y;
}

const CENTER = new Float64Array(2);

function circumcenter(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): void {
  const dx = bx - ax;
  const dy = by - ay;
  const ex = cx - ax;
  const ey = cy - ay;
  const bl = dx * dx + dy * dy;
  const cl = ex * ex + ey * ey;
  const d = 0.5 / (dx * ey - dy * ex);
  CENTER[0] = ax + (ey * bl - dy * cl) * d;
  CENTER[1] = ay + (dx * cl - ex * bl) * d;
}

const RADIX_MIN = 4096;
const KEY_BITS = 12;
const KEY_MAX = (1 << (2 * KEY_BITS)) - 1;
const KEY_MASK = (1 << KEY_BITS) - 1;

/**
 * Sorts `ids` (the first n) by `dists[id]`, exactly. Large inputs take a two-pass LSD radix sort on a 24-bit key,
 * the distance scaled from [min, max] to [0, 2²⁴) (rounding keeps that map monotone, so a smaller key never
 * belongs to a larger distance); runs of equal key are then sorted by the distances themselves. On points whose
 * distances are nearly all equal (a circle) the runs are long and quicksort does what it did before.
 */
function sortByDistance(ids: Uint32Array, dists: Float64Array, n: number): void {
  if (n < RADIX_MIN) {
    quicksort(ids, dists, 0, n - 1);
    return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = dists[i];
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const scale = max > min ? (KEY_MAX + 1) / (max - min) : 0;
  const keyA = new Uint32Array(n);
  const keyB = new Uint32Array(n);
  const idB = new Uint32Array(n);
  const low = new Uint32Array(KEY_MASK + 1);
  const high = new Uint32Array(KEY_MASK + 1);
  for (let i = 0; i < n; i++) {
    const k = Math.min(KEY_MAX, Math.floor((dists[i] - min) * scale));
    keyA[i] = k;
    low[k & KEY_MASK]++;
    high[k >>> KEY_BITS]++;
  }
  for (let b = 0, sumLow = 0, sumHigh = 0; b <= KEY_MASK; b++) {
    const cl = low[b];
    low[b] = sumLow;
    sumLow += cl;
    const ch = high[b];
    high[b] = sumHigh;
    sumHigh += ch;
  }
  for (let i = 0; i < n; i++) {
    const k = keyA[i];
    const at = low[k & KEY_MASK]++;
    keyB[at] = k;
    idB[at] = i;
  }
  for (let j = 0; j < n; j++) {
    const k = keyB[j];
    const at = high[k >>> KEY_BITS]++;
    keyA[at] = k;
    ids[at] = idB[j];
  }
  for (let lo = 0; lo < n; ) {
    let hi = lo + 1;
    while (hi < n && keyA[hi] === keyA[lo]) hi++;
    if (hi - lo > 1) quicksort(ids, dists, lo, hi - 1);
    lo = hi;
  }
}

function quicksort(ids: Uint32Array, dists: Float64Array, left: number, right: number): void {
  if (right - left <= 20) {
    for (let i = left + 1; i <= right; i++) {
      const temp = ids[i];
      const tempDist = dists[temp];
      let j = i - 1;
      while (j >= left && dists[ids[j]] > tempDist) ids[j + 1] = ids[j--];
      ids[j + 1] = temp;
    }
    return;
  }
  const median = (left + right) >> 1;
  let i = left + 1;
  let j = right;
  swap(ids, median, i);
  if (dists[ids[left]] > dists[ids[right]]) swap(ids, left, right);
  if (dists[ids[i]] > dists[ids[right]]) swap(ids, i, right);
  if (dists[ids[left]] > dists[ids[i]]) swap(ids, left, i);
  const temp = ids[i];
  const tempDist = dists[temp];
  for (;;) {
    do i++; while (dists[ids[i]] < tempDist);
    do j--; while (dists[ids[j]] > tempDist);
    if (j < i) break;
    swap(ids, i, j);
  }
  ids[left + 1] = ids[j];
  ids[j] = temp;
  if (right - i + 1 >= j - left) {
    quicksort(ids, dists, i, right);
    quicksort(ids, dists, left, j - 1);
  } else {
    quicksort(ids, dists, left, j - 1);
    quicksort(ids, dists, i, right);
  }
}

function swap(arr: Uint32Array, i: number, j: number): void {
  const tmp = arr[i];
  arr[i] = arr[j];
  arr[j] = tmp;
}
