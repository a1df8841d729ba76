import { describe, expect, it } from 'vitest';
import {
  convexIntersection,
  directedHausdorffBoundary,
  hausdorffBoundary,
  hausdorffPoints,
  hullErrorPercent,
  hullVertexPrecisionRecall,
  polygonArea,
  symmetricDifferenceArea,
} from '../../../../src-worker/geometry/metrics';
import { rng } from '../../../../src-worker/geometry/random';

const square = (x: number, y: number, s = 1): Float64Array => Float64Array.from([x, y, x + s, y, x + s, y + s, x, y + s]);

describe('hull error (symmetric difference, G.13)', () => {
  it('identical polygons: 0', () => {
    expect(symmetricDifferenceArea(square(0, 0), square(0, 0))).toBeCloseTo(0, 12);
    expect(hullErrorPercent(square(0, 0), square(0, 0))).toBeCloseTo(0, 10);
  });
  it('unit squares offset by 0.5 in x: intersection ½, symmetric difference 1, error 100%', () => {
    expect(polygonArea(convexIntersection(square(0, 0), square(0.5, 0)))).toBeCloseTo(0.5, 12);
    expect(symmetricDifferenceArea(square(0, 0), square(0.5, 0))).toBeCloseTo(1, 12);
    expect(hullErrorPercent(square(0, 0), square(0.5, 0))).toBeCloseTo(100, 10);
  });
  it('offset by (0.5, 0.5): intersection ¼, symmetric difference 1.5', () => {
    expect(symmetricDifferenceArea(square(0, 0), square(0.5, 0.5))).toBeCloseTo(1.5, 12);
  });
  it('nested and disjoint', () => {
    expect(symmetricDifferenceArea(square(0, 0, 2), square(0.5, 0.5))).toBeCloseTo(3, 12);
    expect(symmetricDifferenceArea(square(0, 0), square(5, 5))).toBeCloseTo(2, 12);
    // A triangle inside the unit square covering half of it: 50% error.
    expect(hullErrorPercent(square(0, 0), Float64Array.from([0, 0, 1, 0, 0, 1]))).toBeCloseTo(50, 10);
  });
  it('degenerate reference: 0 if the candidate is degenerate too, NaN otherwise', () => {
    expect(hullErrorPercent(Float64Array.from([0, 0, 1, 1]), Float64Array.from([0, 0, 1, 1]))).toBe(0);
    expect(hullErrorPercent(Float64Array.from([0, 0, 1, 1]), square(0, 0))).toBeNaN();
  });
});

describe('Hausdorff distances', () => {
  it('boundaries: squares offset by 0.5 → 0.5; identical → 0', () => {
    expect(hausdorffBoundary(square(0, 0), square(0.5, 0))).toBeCloseTo(0.5, 12);
    expect(hausdorffBoundary(square(0, 0), square(0, 0))).toBe(0);
  });
  it('boundaries: the maximum can sit inside an edge, not at a vertex', () => {
    // A thin rectangle across the middle of [−1, 1]²: its long edges pass within 0.01 of the centre, which is
    // 0.99 from the square's boundary, while every vertex of the rectangle is only 0.1 away.
    const big = Float64Array.from([-1, -1, 1, -1, 1, 1, -1, 1]);
    const thin = Float64Array.from([-0.9, -0.01, 0.9, -0.01, 0.9, 0.01, -0.9, 0.01]);
    expect(directedHausdorffBoundary(thin, big)).toBeCloseTo(0.99, 9);
    // The other direction peaks at big's corner (−1, −1), nearest to thin's corner (−0.9, −0.01).
    expect(hausdorffBoundary(big, thin)).toBeCloseTo(Math.hypot(0.1, 0.99), 12);
  });
  it('point sets: grid-accelerated result equals brute force', () => {
    const u = rng(3);
    for (let s = 0; s < 10; s++) {
      const a = Float64Array.from({ length: 2 * (50 + s * 30) }, () => u());
      const b = Float64Array.from({ length: 2 * (40 + s * 20) }, () => (s % 3 === 0 ? Math.floor(u() * 3) : u() * 2 - 0.5));
      let brute = 0;
      for (const [p, q] of [[a, b], [b, a]] as const) {
        for (let i = 0; i < p.length / 2; i++) {
          let best = Infinity;
          for (let j = 0; j < q.length / 2; j++) best = Math.min(best, Math.hypot(p[2 * i] - q[2 * j], p[2 * i + 1] - q[2 * j + 1]));
          brute = Math.max(brute, best);
        }
      }
      expect(hausdorffPoints(a, b)).toBeCloseTo(brute, 12);
    }
    expect(hausdorffPoints(Float64Array.from([0, 0, 1, 0]), Float64Array.from([0, 0, 1, 0]))).toBe(0);
    expect(hausdorffPoints(Float64Array.from([0, 0]), Float64Array.from([3, 4]))).toBe(5);
  });
});

describe('hull-vertex precision / recall', () => {
  it('counts the overlap of index sets', () => {
    expect(hullVertexPrecisionRecall([1, 2, 3, 4], [2, 3, 9])).toEqual({ precision: 2 / 3, recall: 0.5, truePositives: 2 });
    expect(hullVertexPrecisionRecall([1, 2], [1, 2])).toEqual({ precision: 1, recall: 1, truePositives: 2 });
    expect(hullVertexPrecisionRecall([1], [])).toEqual({ precision: 1, recall: 0, truePositives: 0 });
  });
});

describe('orientation', () => {
  it('hull error does not depend on the orientation of either polygon (delaunator hulls are clockwise)', async () => {
    const { hullErrorPercent } = await import('../../../../src-worker/geometry/metrics');
    const ccw = new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]);
    const cw = new Float64Array([0, 0, 0, 1, 1, 1, 1, 0]);
    const shifted = new Float64Array([0.5, 0, 1.5, 0, 1.5, 1, 0.5, 1]);
    expect(hullErrorPercent(ccw, cw)).toBe(0);
    expect(hullErrorPercent(cw, ccw)).toBe(0);
    expect(hullErrorPercent(cw, shifted)).toBeCloseTo(100, 12);
  });
});
