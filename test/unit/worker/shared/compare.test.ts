import { describe, expect, it } from 'vitest';
import { compareLex } from '../../../../src-worker/shared/compare';
import { rng } from '../../../../src-worker/shared/random';

/** Points on a coarse grid so that equal x (and full duplicates) are common. */
function gridPoints(n: number, seed: number): Float64Array {
  const u = rng(seed);
  const p = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) p[i] = Math.floor(u() * 5) - 2;
  p[0] = -0;
  p[2] = 0;
  p[1] = p[3];
  return p;
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

describe('compareLex', () => {
  it('orders by x, then by y, and is 0 only for equal coordinates (−0 equals 0)', () => {
    const p = Float64Array.of(0, 5, 1, -3, 0, 6, 0, 5, -0, 5);
    expect(compareLex(p, 0, 1)).toBe(-1);
    expect(compareLex(p, 1, 0)).toBe(1);
    expect(compareLex(p, 0, 2)).toBe(-1);
    expect(compareLex(p, 2, 0)).toBe(1);
    expect(compareLex(p, 0, 3)).toBe(0);
    expect(compareLex(p, 0, 4)).toBe(0);
  });

  it('is antisymmetric, transitive and consistent with equality on random points with duplicates', () => {
    const n = 60;
    const p = gridPoints(n, 9);
    let duplicates = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const c = compareLex(p, i, j);
        expect(sign(c) + sign(compareLex(p, j, i))).toBe(0);
        expect(c === 0).toBe(p[2 * i] === p[2 * j] && p[2 * i + 1] === p[2 * j + 1]);
        if (c === 0 && i !== j) duplicates++;
        for (let k = 0; k < n; k++) {
          const d = compareLex(p, j, k);
          if (c <= 0 && d <= 0) expect(compareLex(p, i, k)).toBeLessThanOrEqual(0);
          if (c === 0 && d === 0) expect(compareLex(p, i, k)).toBe(0);
        }
      }
    }
    expect(duplicates).toBeGreaterThan(0);
  });

  it('sorting indices with it gives the order of sorting [x, y] pairs by x then y', () => {
    const n = 500;
    const p = gridPoints(n, 21);
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => compareLex(p, i, j));
    const pairs = Array.from({ length: n }, (_, i) => [p[2 * i], p[2 * i + 1]]).sort((a, b) => (a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1]));
    expect(order.map((i) => [p[2 * i], p[2 * i + 1]])).toEqual(pairs);
  });
});
