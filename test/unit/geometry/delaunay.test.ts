import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { delaunay } from '../../../src-worker/geometry/delaunay';
import { convexHull } from '../../../src-worker/geometry/hull/index';
import { hullPolygon, polygonArea } from '../../../src-worker/geometry/metrics';
import { generatePoints } from '../../../src-worker/geometry/points';
import { orient } from '../../../src-worker/geometry/hull/orient';

const fixture = (name: string): Float64Array => {
  const url = new URL(`../../fixtures/geometry/${name}.json`, import.meta.url);
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
  it('collinear input: no triangles, hull of the points', () => {
    const d = delaunay(Float64Array.from([0, 0, 1, 1, 2, 2, 3, 3]));
    expect(d.triangles.length).toBe(0);
  });
});
