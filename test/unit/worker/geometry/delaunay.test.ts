import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Delaunator from 'delaunator';
import { incircle } from 'robust-predicates';
import { delaunay, delaunayWithCounters } from '../../../../src-worker/geometry/delaunay';
import { convexHull } from '../../../../src-worker/geometry/hull/index';
import { hullPolygon, polygonArea } from '../../../../src-worker/geometry/metrics';
import { generatePoints } from '../../../../src-worker/geometry/points';
import { orient } from '../../../../src-worker/geometry/hull/orient';

const fixture = (name: string): Float64Array => {
  const url = new URL(`../../../fixtures/geometry/${name}.json`, import.meta.url);
  return Float64Array.from((JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as number[][]).flat());
};

function checkTriangulation(points: Float64Array): void {
  const { triangles, halfedges, hull } = delaunay(points);
  expect(triangles.length % 3).toBe(0);
  expect(halfedges.length).toBe(triangles.length);
  let area = 0;
  for (let e = 0; e < halfedges.length; e++) {
    const twin = halfedges[e];
    if (twin === -1) continue;
    // Symmetry, and a twin runs the same edge backwards.
    expect(halfedges[twin]).toBe(e);
    const next = (x: number): number => (x % 3 === 2 ? x - 2 : x + 1);
    expect(triangles[twin]).toBe(triangles[next(e)]);
    expect(triangles[next(twin)]).toBe(triangles[e]);
  }
  // Clockwise for y up, delaunator's convention. Delaunator 5.1 may leave a sliver of the wrong orientation
  // (robustness1: one with area ~6e-15), so slivers are allowed a tolerance and the covering is checked by the
  // signed-area sum, which equals the hull's area only if the triangles tile it.
  let scale = 0;
  for (const v of points) scale = Math.max(scale, Math.abs(v));
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    const o = orient(points[2 * a], points[2 * a + 1], points[2 * b], points[2 * b + 1], points[2 * c], points[2 * c + 1]);
    expect(o).toBeLessThanOrEqual(1e-12 * scale * scale);
    area -= ((points[2 * b] - points[2 * a]) * (points[2 * c + 1] - points[2 * a + 1]) -
      (points[2 * c] - points[2 * a]) * (points[2 * b + 1] - points[2 * a + 1])) / 2;
  }
  const hullArea = polygonArea(hullPolygon(points, convexHull(points, 'monotone')));
  expect(area).toBeCloseTo(hullArea, 9);
  expect(Math.abs(area - hullArea)).toBeLessThanOrEqual(1e-9 * Math.max(1, hullArea));
  // Delaunator's hull has the same area as ours (it may keep collinear points on edges).
  expect(polygonArea(hullPolygon(points, hull))).toBeCloseTo(hullArea, 9);
}

/** Empty-circumcircle property with the exact in-circle sign: no input point strictly inside any triangle's circle. */
function expectDelaunay(points: Float64Array): void {
  const { triangles } = delaunay(points);
  const n = points.length / 2;
  expect(triangles.length).toBeGreaterThan(0);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
    for (let p = 0; p < n; p++) {
      if (p === a || p === b || p === c) continue;
      const s = incircle(points[2 * a], points[2 * a + 1], points[2 * b], points[2 * b + 1], points[2 * c], points[2 * c + 1], points[2 * p], points[2 * p + 1]);
      // Negative = strictly inside for delaunator's triangle orientation.
      if (s < 0) throw new Error(`point ${p} is inside the circumcircle of triangle (${a}, ${b}, ${c})`);
    }
  }
}

/** Integer points on x² + y² = r² (exactly cocircular, and every determinant is computed exactly). */
function integerCircle(r: number): Float64Array {
  const out: number[] = [];
  for (let x = -r; x <= r; x++) {
    const y = Math.round(Math.sqrt(r * r - x * x));
    if (x * x + y * y !== r * r) continue;
    out.push(x, y);
    if (y !== 0) out.push(x, -y);
  }
  return Float64Array.from(out);
}

/** Index of the first entry where the arrays differ (a length difference counts), or −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

function circlePoints(n: number): Float64Array {
  const p = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    p[2 * i] = Math.cos((2 * Math.PI * i) / n);
    p[2 * i + 1] = Math.sin((2 * Math.PI * i) / n);
  }
  return p;
}

describe('delaunay: empty circumcircles (exact incircle)', () => {
  it('on uniform and clustered points', () => {
    expectDelaunay(generatePoints('uniform-square', 300, 3));
    expectDelaunay(generatePoints('gaussian-clusters', 300, 4));
  });
  it('on exactly cocircular integer points (any triangulation of them is Delaunay)', () => {
    const pts = integerCircle(65);
    expect(pts.length / 2).toBeGreaterThanOrEqual(30);
    expectDelaunay(pts);
    checkTriangulation(pts);
  });
  it('on a cocircular set with its centre, and on an integer grid (four cocircular points per cell)', () => {
    const ring = integerCircle(25);
    expectDelaunay(Float64Array.from([...ring, 0, 0]));
    const grid: number[] = [];
    for (let x = 0; x < 15; x++) for (let y = 0; y < 15; y++) grid.push(x, y);
    expectDelaunay(Float64Array.from(grid));
    checkTriangulation(Float64Array.from(grid));
  });
  it('on floating-point points on a circle: a triangulation (flips use delaunator\'s floating-point in-circle, so near-cocircular ties may go either way)', () => {
    checkTriangulation(circlePoints(2000));
  });
});

describe('delaunay: no quadratic cliff on points in convex position', () => {
  // Delaunator 5.1 walks the whole hull after a flip of a hull edge; on a circle that is Θ(n·h) steps
  // (10⁶ points: 541 s). Every counter must stay linear: at 10⁵ points a quadratic walk would count ~10⁹.
  it('10⁵ points on a circle: flips, hash walks and hull scans linear in n', () => {
    const small = delaunayWithCounters(circlePoints(5e4)).counters;
    const big = delaunayWithCounters(circlePoints(1e5));
    expect(big.triangles.length / 3).toBe(1e5 - 2);
    expect(big.hull.length).toBe(1e5);
    expect(big.counters.hullScanSteps).toBe(0);
    expect(big.counters.flips).toBeLessThan(3 * 1e5);
    expect(big.counters.hashWalkSteps).toBeLessThan(2 * 1e5);
    // Doubling n at most ~doubles the work (a quadratic term would quadruple it).
    expect(big.counters.flips + big.counters.hashWalkSteps).toBeLessThan(2.6 * (small.flips + small.hashWalkSteps));
  });
});

describe('delaunay (delaunator wrapper)', () => {
  it('returns delaunator arrays without copying the input', () => {
    const points = generatePoints('uniform-square', 500, 1);
    const d = delaunay(points);
    expect(d.triangles).toBeInstanceOf(Uint32Array);
    expect(d.halfedges).toBeInstanceOf(Int32Array);
    expect(d.hull).toBeInstanceOf(Uint32Array);
  });
  for (const dataset of ['uniform-square', 'gaussian-clusters', 'circle', 'quickdraw-like'] as const) {
    it(`invariants on ${dataset}`, () => checkTriangulation(generatePoints(dataset, 2000, 42)));
  }
  for (const name of ['issue13', 'issue43', 'robustness1', 'robustness3', 'robustness4', 'ukraine']) {
    it(`invariants on fixture ${name}`, () => checkTriangulation(fixture(name)));
  }
  // The sweep renumbers points into insertion order and sorts distances by radix from 4096 points up; where no
  // two distances tie, delaunator inserts in the very same order, so every array must be the same.
  for (const dataset of ['uniform-square', 'uniform-disk', 'gaussian-clusters', 'parabolic'] as const) {
    it(`same triangles, half-edges and hull as delaunator on ${dataset} (n = 3000 and 30000)`, () => {
      for (const n of [3000, 30000]) {
        const points = generatePoints(dataset, n, 11);
        const ours = delaunay(points);
        const theirs = new Delaunator(points);
        expect(firstDifference(ours.triangles, theirs.triangles)).toBe(-1);
        expect(firstDifference(ours.halfedges, theirs.halfedges)).toBe(-1);
        expect(firstDifference(ours.hull, theirs.hull)).toBe(-1);
      }
    });
  }
  it('duplicated grid points past the radix threshold: each location once, tiling the hull', () => {
    const grid: number[] = [];
    for (let copy = 0; copy < 2; copy++) for (let x = 0; x < 60; x++) for (let y = 0; y < 60; y++) grid.push(x * 0.5, y * 0.25);
    const points = Float64Array.from(grid);
    checkTriangulation(points);
    const used = new Set(delaunay(points).triangles);
    expect(used.size).toBe(3600);
    for (const v of used) expect(used.has(v < 3600 ? v + 3600 : v - 3600)).toBe(false);
  });
  it('collinear input: no triangles, hull of the points', () => {
    const d = delaunay(Float64Array.from([0, 0, 1, 1, 2, 2, 3, 3]));
    expect(d.triangles.length).toBe(0);
  });
});
