import { describe, expect, it } from 'vitest';
import { BoundaryDistance, convexIntersectionLinear, directedHausdorffConvex, insideConvex } from '../../../../src-worker/geometry/convex-polygons';
import { convexIntersection, directedHausdorffBoundary, hullErrorPercent, hausdorffBoundary, hullPolygon, polygonArea } from '../../../../src-worker/geometry/metrics';
import { convexHull } from '../../../../src-worker/geometry/hull/index';
import { rng } from '../../../../src-worker/geometry/random';

function randomConvex(u: () => number, count: number, cx: number, cy: number, r: number): Float64Array {
  const pts = Float64Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? cx : cy) + (u() * 2 - 1) * r);
  return hullPolygon(pts, convexHull(pts, 'monotone'));
}

function circleHull(n: number, r = 1, phase = 0): Float64Array {
  const p = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    p[2 * i] = r * Math.cos(phase + (2 * Math.PI * i) / n);
    p[2 * i + 1] = r * Math.sin(phase + (2 * Math.PI * i) / n);
  }
  return p;
}

describe('convex polygon kernels agree with the quadratic oracles', () => {
  it('intersection area: random pairs (overlapping, nested, disjoint, touching)', () => {
    const u = rng(11);
    for (let s = 0; s < 300; s++) {
      const a = randomConvex(u, 3 + (s % 40), u(), u(), 0.2 + u());
      const b = randomConvex(u, 3 + ((s * 7) % 50), u() * (s % 5 === 0 ? 4 : 1), u(), 0.2 + u());
      const oracle = polygonArea(convexIntersection(a, b));
      expect(polygonArea(convexIntersectionLinear(a, b))).toBeCloseTo(oracle, 9);
    }
    const sq = (x: number, y: number, s = 1): Float64Array => Float64Array.from([x, y, x + s, y, x + s, y + s, x, y + s]);
    expect(polygonArea(convexIntersectionLinear(sq(0, 0), sq(0.5, 0.5)))).toBeCloseTo(0.25, 12);
    expect(polygonArea(convexIntersectionLinear(sq(0, 0), sq(1, 0)))).toBe(0);
    expect(polygonArea(convexIntersectionLinear(sq(0, 0), sq(3, 3)))).toBe(0);
    expect(polygonArea(convexIntersectionLinear(sq(0, 0), sq(0, 0)))).toBeCloseTo(1, 12);
    expect(polygonArea(convexIntersectionLinear(sq(0, 0, 4), sq(1, 1)))).toBeCloseTo(1, 12);
  });
  it('a subset of the vertices of a polygon (what approximate hulls give) intersects to the subset', () => {
    const ref = circleHull(1000);
    const sub = Float64Array.from(Array.from({ length: 500 }, (_, i) => [ref[4 * i], ref[4 * i + 1]]).flat());
    expect(polygonArea(convexIntersectionLinear(ref, sub))).toBeCloseTo(polygonArea(convexIntersection(ref, sub)), 12);
  });
  it('directed boundary Hausdorff: random pairs, and the interior-maximum case', () => {
    const u = rng(5);
    for (let s = 0; s < 200; s++) {
      const a = randomConvex(u, 3 + (s % 30), u(), u(), 0.1 + u());
      const b = randomConvex(u, 3 + ((s * 3) % 30), u(), u(), 0.1 + u());
      expect(directedHausdorffConvex(a, b)).toBeCloseTo(directedHausdorffBoundary(a, b), 9);
    }
    const big = Float64Array.from([-1, -1, 1, -1, 1, 1, -1, 1]);
    const thin = Float64Array.from([-0.9, -0.01, 0.9, -0.01, 0.9, 0.01, -0.9, 0.01]);
    expect(directedHausdorffConvex(thin, big)).toBeCloseTo(0.99, 9);
  });
  it('point location and boundary distance', () => {
    const sq = Float64Array.from([0, 0, 2, 0, 2, 2, 0, 2]);
    expect(insideConvex(sq, 1, 1)).toBe(true);
    expect(insideConvex(sq, 2, 1)).toBe(true);
    expect(insideConvex(sq, 2.1, 1)).toBe(false);
    const d = new BoundaryDistance(sq);
    expect(d.distance(1, 1)).toBe(1);
    expect(d.distance(5, 6)).toBe(5);
    expect(d.distance(0.5, 1.5)).toBe(0.5);
  });
});

describe('metrics at h = 10⁵ (points on a circle)', () => {
  // The O(h²) clipping and boundary distance take ~10¹⁰ steps here; the test only finishes if they are gone.
  it('hull error and Hausdorff between a 10⁵-gon and its even-vertex subset', () => {
    const ref = circleHull(1e5);
    const sub = Float64Array.from(Array.from({ length: 5e4 }, (_, i) => [ref[4 * i], ref[4 * i + 1]]).flat());
    const sagitta = 1 - Math.cos((2 * Math.PI) / 1e5);
    expect(hausdorffBoundary(ref, sub)).toBeCloseTo(sagitta, 12);
    const work = { segmentChecks: 0 };
    directedHausdorffConvex(ref, sub, work);
    directedHausdorffConvex(sub, ref, work);
    expect(work.segmentChecks).toBeLessThan(300 * 1.5e5);
    const err = hullErrorPercent(ref, sub);
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(1e-6);
  }, 20_000);
});
