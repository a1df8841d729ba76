import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bruteForceHull, convexHull, HULL_ALGORITHMS, octagonFilter } from '../../../../../src-worker/geometry/hull/index';
import { orient } from '../../../../../src-worker/geometry/hull/orient';
import { sortGatheredLex, sortIndicesLex, iota } from '../../../../../src-worker/geometry/hull/sort';
import { quadrantFilter, quadrantFilterWorthwhile } from '../../../../../src-worker/geometry/hull/quadrant-filter';
import { rng } from '../../../../../src-worker/geometry/random';
import { generatePoints, DATASET_NAMES } from '../../../../../src-worker/geometry/points';
import { hullViolation } from './hull-invariants';

const fixture = (name: string): Float64Array => {
  const url = new URL(`../../../../fixtures/geometry/${name}.json`, import.meta.url);
  const pairs = JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as number[][];
  return Float64Array.from(pairs.flat());
};

const flat = (pairs: number[][]): Float64Array => Float64Array.from(pairs.flat());

function randomSet(seed: number, n: number, kind: 'float' | 'grid'): Float64Array {
  const u = rng(seed);
  const p = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) p[i] = kind === 'grid' ? Math.floor(u() * 6) : u();
  return p;
}

function transform(p: Float64Array, f: (v: number) => number): Float64Array {
  return p.map(f);
}

/** Every algorithm returns exactly the oracle's array, and the oracle's array satisfies the invariants. */
function expectAllAgree(points: Float64Array): void {
  const ref = bruteForceHull(points);
  expect(hullViolation(points, ref)).toBeNull();
  for (const algorithm of HULL_ALGORITHMS) {
    const got = convexHull(points, algorithm);
    expect(Array.from(got), algorithm).toEqual(Array.from(ref));
  }
}

const circle = (n: number, r = 1): Float64Array => {
  const p = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    p[2 * i] = r * Math.cos((2 * Math.PI * i) / n);
    p[2 * i + 1] = r * Math.sin((2 * Math.PI * i) / n);
  }
  return p;
};

// Points on y = x + offsets of ±2⁻⁴² (and exactly on it): orientation signs here are decided by the exact stage.
const nearCollinear = (seed: number, n: number): Float64Array => {
  const u = rng(seed);
  const p = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(u() * 1000) / 64;
    const k = Math.floor(u() * 3) - 1;
    p[2 * i] = t;
    p[2 * i + 1] = t + k * 2 ** -42;
  }
  return p;
};

const degenerate: Record<string, Float64Array> = {
  empty: new Float64Array(0),
  'one point': flat([[3, 4]]),
  'two points': flat([[1, 1], [0, 0]]),
  'two duplicates': flat([[2, 2], [2, 2]]),
  'three points': flat([[0, 0], [1, 0], [0, 1]]),
  'three clockwise': flat([[0, 0], [0, 1], [1, 0]]),
  'three collinear': flat([[2, 2], [0, 0], [1, 1]]),
  'all duplicates': flat(Array.from({ length: 50 }, () => [0.1, 0.7])),
  'all collinear, axis': flat(Array.from({ length: 40 }, (_, i) => [(i * 7) % 13, 5])),
  'all collinear, vertical': flat(Array.from({ length: 40 }, (_, i) => [5, (i * 7) % 13])),
  'all collinear, slanted, with duplicates': flat(Array.from({ length: 60 }, (_, i) => [(i * 7) % 17, 3 * ((i * 7) % 17)])),
  'square with edge points and centre': flat([[0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [1, 2], [0, 2], [0, 1], [1, 1], [0, 0], [2, 2]]),
  'vertical extremes': flat([[0, 0], [0, 1], [0, 2], [1, 1], [1, 0], [1, 2], [0.5, 1]]),
  'duplicate lowest point with higher index first': flat([[1, 1], [0, 0], [2, 0.5], [0, 0], [1, 2]]),
  'circle 64': circle(64),
  'circle 1000': circle(1000),
  'circle with centre and duplicates': (() => {
    const c = circle(100);
    return Float64Array.from([...c, 0, 0, ...c.slice(0, 20)]);
  })(),
};

describe('convexHull: degenerate suite, all algorithms vs brute-force oracle', () => {
  for (const [name, points] of Object.entries(degenerate)) {
    it(name, () => expectAllAgree(points));
  }
  it('1 and 2 points have the documented answers', () => {
    for (const a of HULL_ALGORITHMS) {
      expect(Array.from(convexHull(flat([[3, 4]]), a))).toEqual([0]);
      expect(Array.from(convexHull(flat([[1, 1], [0, 0]]), a))).toEqual([1, 0]);
      expect(Array.from(convexHull(flat(Array.from({ length: 9 }, () => [5, 5])), a))).toEqual([0]);
      expect(Array.from(convexHull(flat([[2, 2], [0, 0], [1, 1], [0, 0]]), a))).toEqual([1, 0]);
    }
  });
  it('near-collinear points (offsets of 2⁻⁴²)', () => {
    for (let s = 0; s < 20; s++) expectAllAgree(nearCollinear(s, 10 + s * 5));
  });
  it('random small sets (floats and a coarse grid full of duplicates and collinear triples)', () => {
    for (let s = 0; s < 150; s++) {
      const n = 1 + ((s * 37) % 120);
      expectAllAgree(randomSet(s, n, s % 2 === 0 ? 'grid' : 'float'));
    }
  });
  it('scaled by 1e-9 and 1e9, offset by 1e12', () => {
    for (let s = 0; s < 30; s++) {
      const base = s % 3 === 0 ? nearCollinear(100 + s, 40) : randomSet(100 + s, 60, s % 2 === 0 ? 'grid' : 'float');
      expectAllAgree(transform(base, (v) => v * 1e-9));
      expectAllAgree(transform(base, (v) => v * 1e9));
      expectAllAgree(transform(base, (v) => v + 1e12));
    }
    expectAllAgree(transform(circle(200), (v) => v * 1e-9));
    expectAllAgree(transform(circle(200), (v) => v + 1e12));
  });
  it('negative coordinates and signed zeros', () => {
    expectAllAgree(flat([[-0, 1], [0, -1], [-1, 0], [1, -0], [0, 0], [-0, -0], [0, 1]]));
    expectAllAgree(transform(randomSet(7, 80, 'float'), (v) => v - 0.5));
  });
});

describe('convexHull: delaunator robustness fixtures, all algorithms vs oracle', () => {
  for (const name of ['issue13', 'issue43', 'issue44', 'robustness1', 'robustness2', 'robustness3', 'robustness4', 'ukraine']) {
    it(name, () => expectAllAgree(fixture(name)));
  }
});

describe('convexHull: larger inputs, algorithms agree and satisfy the invariants', () => {
  for (const dataset of DATASET_NAMES) {
    it(dataset, () => {
      const points = generatePoints(dataset, 3000, 42);
      const ref = convexHull(points, 'monotone');
      expect(hullViolation(points, ref)).toBeNull();
      expect(Array.from(bruteForceHull(points))).toEqual(Array.from(ref));
      for (const a of HULL_ALGORITHMS) expect(Array.from(convexHull(points, a)), a).toEqual(Array.from(ref));
    });
  }
  it('radix path (n above the radix threshold) on a circle and on clustered data', () => {
    for (const dataset of ['circle', 'gaussian-clusters'] as const) {
      const points = generatePoints(dataset, 20_000, 7);
      const ref = convexHull(points, 'monotone');
      // The O(n·h) invariant check is affordable on the clusters (small h), not on the circle (h = n).
      if (dataset === 'gaussian-clusters') expect(hullViolation(points, ref)).toBeNull();
      for (const a of HULL_ALGORITHMS) expect(Array.from(convexHull(points, a)), a).toEqual(Array.from(ref));
    }
    expect(convexHull(generatePoints('circle', 20_000, 7), 'auto').length).toBe(20_000);
  });
  it('radix path on degenerate inputs: every algorithm equals the oracle (near-collinear, grid duplicates, vertical runs, heavy tail)', () => {
    const n = 6000;
    const u = rng(11);
    const sets: Record<string, Float64Array> = {
      'near-collinear': nearCollinear(3, n),
      'coarse grid': randomSet(4, n, 'grid'),
      // Most x equal: one scaled-key bucket holds most points, so the high-word sort takes over.
      'vertical runs': Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? (i % 10 === 0 ? u() : 0.5) : u())),
      // One far outlier squeezes every other x into a few keys.
      'heavy tail': Float64Array.from({ length: 2 * n }, (_, i) => (i === 0 ? 1e300 : i % 2 === 0 ? u() : u() - 0.5)),
      // Cocircular integer points (3-4-5 family) plus their centre: orient(L, R, p) = 0 for the centre.
      'circle with collinear centre': Float64Array.from([
        ...Array.from({ length: n - 1 }, (_, i) => [[5, 0], [4, 3], [3, 4], [0, 5], [-3, 4], [-4, 3], [-5, 0], [-4, -3], [-3, -4], [0, -5], [3, -4], [4, -3]][i % 12]).flat(),
        0, 0,
      ]),
    };
    for (const [name, points] of Object.entries(sets)) {
      const ref = bruteForceHull(points);
      for (const a of HULL_ALGORITHMS) expect(Array.from(convexHull(points, a)), `${name} ${a}`).toEqual(Array.from(ref));
    }
  });
  it('sortGatheredLex equals a comparison sort on ties, −0, equal x, a heavy tail and a subset of indices', () => {
    const u = rng(8);
    const n = 9000;
    const cases: Float64Array[] = [
      Float64Array.from({ length: 2 * n }, (_, i) => (i % 14 === 0 ? (i % 4 ? -0 : 0) : Math.round((u() - 0.5) * 300) / 16)),
      Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? Math.floor(u() * 3) : u())),
      Float64Array.from({ length: 2 * n }, (_, i) => (i === 2 ? -1e200 : u() * 1e-3)),
      generatePoints('gaussian-clusters', n, 2),
    ];
    for (const p of cases) {
      for (const subset of [null, Uint32Array.from({ length: n >> 1 }, (_, k) => 2 * k + 1)]) {
        const count = subset ? subset.length : n;
        const s = sortGatheredLex(p, subset, count);
        const expected = Array.from(subset ?? iota(n)).sort((i, j) => p[2 * i] - p[2 * j] || p[2 * i + 1] - p[2 * j + 1] || i - j);
        expect(Array.from(s.index.subarray(0, count))).toEqual(expected);
        expect(Array.from(s.x.subarray(0, count))).toEqual(expected.map((i) => p[2 * i]));
        expect(Array.from(s.y.subarray(0, count))).toEqual(expected.map((i) => p[2 * i + 1]));
      }
    }
  });
  it('rejects an odd coordinate count and unknown algorithms', () => {
    expect(() => convexHull(new Float64Array(3), 'monotone')).toThrow(RangeError);
    expect(() => convexHull(new Float64Array(4), 'nope' as never)).toThrow(RangeError);
  });
});

describe('building blocks', () => {
  it('orient: sign convention and exactness beyond the filter', () => {
    expect(orient(0, 0, 1, 0, 0, 1)).toBeGreaterThan(0);
    expect(orient(0, 0, 0, 1, 1, 0)).toBeLessThan(0);
    expect(orient(0, 0, 1, 1, 2, 2)).toBe(0);
    // Classic: a point 2⁻⁵⁰ off a long line through big coordinates; the naive determinant gets it wrong.
    const e = 2 ** -50;
    expect(Math.sign(orient(0.5, 0.5, 12, 12, 24, 24 + 24 * e))).toBe(1);
    expect(Math.sign(orient(0.5, 0.5, 12, 12, 24, 24 - 24 * e))).toBe(-1);
  });
  it('sortIndicesLex: radix path equals a plain comparison sort, including ties, negatives and −0', () => {
    const u = rng(5);
    const n = 10_000;
    const p = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      p[2 * i] = i % 7 === 0 ? (i % 2 ? -0 : 0) : Math.round((u() - 0.5) * 200) / 8;
      p[2 * i + 1] = Math.floor(u() * 5);
    }
    const idx = iota(n);
    sortIndicesLex(p, idx, n);
    const expected = Array.from(iota(n)).sort((i, j) => p[2 * i] - p[2 * j] || p[2 * i + 1] - p[2 * j + 1] || i - j);
    expect(Array.from(idx)).toEqual(expected);
  });
  it('quadrantFilter never drops a hull vertex, empties uniform, clustered and parabolic sets, and is skipped on a circle', () => {
    for (const dataset of DATASET_NAMES) {
      for (const n of [300, 20_000]) {
        const points = generatePoints(dataset, n, 5);
        const keep = new Uint32Array(n);
        const c = quadrantFilter(points, keep);
        const kept = new Set(keep.subarray(0, c));
        for (const v of convexHull(points, 'monotone')) expect(kept.has(v), `${dataset} ${n} vertex ${v}`).toBe(true);
        if (n === 20_000 && ['uniform-square', 'uniform-disk', 'gaussian-clusters', 'parabolic'].includes(dataset)) {
          expect(c, dataset).toBeLessThan(n / 10);
          expect(quadrantFilterWorthwhile(points), dataset).toBe(true);
        }
      }
    }
    expect(quadrantFilterWorthwhile(generatePoints('circle', 20_000, 5))).toBe(false);
    // Ties everywhere (a coarse grid) and a huge outlier that squeezes the grid: still no vertex lost.
    for (const points of [randomSet(9, 20_000, 'grid'), Float64Array.from({ length: 40_000 }, (_, i) => (i === 1 ? -1e300 : (i * 0.618) % 1))]) {
      const keep = new Uint32Array(20_000);
      const kept = new Set(keep.subarray(0, quadrantFilter(points, keep)));
      for (const v of bruteForceHull(points)) expect(kept.has(v)).toBe(true);
    }
  });
  it('octagonFilter never drops a hull vertex and drops most of a uniform square', () => {
    for (const dataset of DATASET_NAMES) {
      const points = generatePoints(dataset, 5000, 3);
      const keep = new Uint32Array(5000);
      const c = octagonFilter(points, keep);
      const kept = new Set(keep.subarray(0, c));
      for (const v of convexHull(points, 'monotone')) expect(kept.has(v)).toBe(true);
      if (dataset === 'uniform-square') expect(c).toBeLessThan(500);
    }
  });
});
