import { describe, expect, it } from 'vitest';
import { ccw, localConvexHull } from '../../../src-worker/entropy/local-hull';
import { createRng } from '../../../src-worker/entropy/random';

/**
 * Brute force via Carathéodory: p is a strict hull vertex iff it is not in the convex hull of the other
 * distinct points, i.e. not on a segment of two of them and not in a (non-degenerate) triangle of three.
 */
function bruteHullVertices(pts: Float64Array): Set<string> {
  const n = pts.length / 2;
  const key = (i: number): string => `${pts[2 * i]},${pts[2 * i + 1]}`;
  const o = (a: number, b: number, c: number): number => ccw(pts[2 * a], pts[2 * a + 1], pts[2 * b], pts[2 * b + 1], pts[2 * c], pts[2 * c + 1]);
  const onSegment = (p: number, a: number, b: number): boolean =>
    o(a, b, p) === 0 &&
    Math.min(pts[2 * a], pts[2 * b]) <= pts[2 * p] && pts[2 * p] <= Math.max(pts[2 * a], pts[2 * b]) &&
    Math.min(pts[2 * a + 1], pts[2 * b + 1]) <= pts[2 * p + 1] && pts[2 * p + 1] <= Math.max(pts[2 * a + 1], pts[2 * b + 1]);
  const out = new Set<string>();
  for (let p = 0; p < n; p++) {
    const others: number[] = [];
    for (let j = 0; j < n; j++) if (key(j) !== key(p) && !others.some((q) => key(q) === key(j))) others.push(j);
    let inside = false;
    for (let a = 0; a < others.length && !inside; a++) {
      for (let b = a + 1; b < others.length && !inside; b++) {
        if (onSegment(p, others[a], others[b])) inside = true;
        for (let c = b + 1; c < others.length && !inside; c++) {
          const [x, y, z] = [others[a], others[b], others[c]];
          const s = o(x, y, z);
          if (s === 0) continue;
          const s1 = o(x, y, p) * Math.sign(s);
          const s2 = o(y, z, p) * Math.sign(s);
          const s3 = o(z, x, p) * Math.sign(s);
          if (s1 >= 0 && s2 >= 0 && s3 >= 0) inside = true;
        }
      }
    }
    if (!inside) out.add(key(p));
  }
  return out;
}

function checkHull(pts: Float64Array): void {
  const hull = localConvexHull(pts);
  const h = hull.length;
  const keys = new Set(Array.from(hull, (i) => `${pts[2 * i]},${pts[2 * i + 1]}`));
  expect(keys.size).toBe(h);
  expect(keys).toEqual(bruteHullVertices(pts));
  if (h >= 3) {
    for (let t = 0; t < h; t++) {
      const a = hull[t];
      const b = hull[(t + 1) % h];
      for (let p = 0; p < pts.length / 2; p++) {
        expect(ccw(pts[2 * a], pts[2 * a + 1], pts[2 * b], pts[2 * b + 1], pts[2 * p], pts[2 * p + 1])).toBeGreaterThanOrEqual(0);
      }
    }
  }
}

describe('localConvexHull', () => {
  it('matches a brute-force hull on random, integer-grid, duplicate and collinear sets', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(25);
      const grid = trial % 2 === 0;
      checkHull(new Float64Array(2 * n).map(() => (grid ? rng.int(5) : rng.next())));
    }
    checkHull(Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3));
    checkHull(Float64Array.of(1, 1, 1, 1, 1, 1));
    checkHull(Float64Array.of(0, 0, 0, 1, 0, 2, 0, 1));
  });

  it('is CCW, starts at the lexicographically smallest point, and is scale-free', () => {
    const rng = createRng(4);
    const base = new Float64Array(60).map(() => rng.next());
    const ref = localConvexHull(base);
    for (const s of [1e-9, 1, 1e9]) {
      const hull = localConvexHull(base.map((v) => v * s));
      expect(Array.from(hull)).toEqual(Array.from(ref));
    }
    let lex = 0;
    for (let i = 1; i < 30; i++) if (base[2 * i] < base[2 * lex] || (base[2 * i] === base[2 * lex] && base[2 * i + 1] < base[2 * lex + 1])) lex = i;
    expect(ref[0]).toBe(lex);
  });

  it('handles near-collinear points exactly', () => {
    const eps = 2 ** -50;
    const pts = Float64Array.of(0, 0, 0.5, 0.5 + eps, 1, 1, 0.5, 0.5 - eps);
    const hull = localConvexHull(pts);
    expect(hull.length).toBe(4);
  });
});
