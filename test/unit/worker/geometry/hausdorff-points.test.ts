import { describe, expect, it } from 'vitest';
import { directedHausdorffPoints, hausdorffPoints, type PointsHausdorffWork } from '../../../../src-worker/geometry/metrics';
import { rng } from '../../../../src-worker/geometry/random';

/** max over a of the square root of the smallest squared distance: the value the fast version must reproduce exactly. */
function bruteDirected(a: Float64Array, b: Float64Array): number {
  if (a.length === 0) return 0;
  if (b.length === 0) return Infinity;
  let worst2 = 0;
  for (let i = 0; i < a.length / 2; i++) {
    let best2 = Infinity;
    for (let j = 0; j < b.length / 2; j++) {
      const dx = b[2 * j] - a[2 * i], dy = b[2 * j + 1] - a[2 * i + 1];
      best2 = Math.min(best2, dx * dx + dy * dy);
    }
    worst2 = Math.max(worst2, best2);
  }
  return Math.sqrt(worst2);
}

const uniform = (n: number, u: () => number): Float64Array => Float64Array.from({ length: 2 * n }, () => u());

/** Points pulled towards k centres, as a trained EntropyNet moves them: a fraction lands exactly on its centre. */
function clustered(n: number, k: number, dupFrac: number, u: () => number): Float64Array {
  const c = uniform(k, u);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const j = Math.floor(u() * k);
    const exact = u() < dupFrac;
    out[2 * i] = c[2 * j] + (exact ? 0 : 1e-3 * (u() - 0.5));
    out[2 * i + 1] = c[2 * j + 1] + (exact ? 0 : 1e-3 * (u() - 0.5));
  }
  return out;
}

/** n points on the line y = 2x. */
const diagonal = (n: number, u: () => number): Float64Array => Float64Array.from(Array.from({ length: n }, () => u()).flatMap((t) => [t, 2 * t]));

const newWork = (): PointsHausdorffWork => ({ gridSteps: 0, treeQueries: 0 });

describe('directedHausdorffPoints equals brute force', () => {
  const u = rng(11);
  const cases: [string, Float64Array, Float64Array][] = [
    ['random', uniform(700, u), uniform(500, u)],
    ['random, different extents', uniform(300, u).map((v) => 3 * v - 1), uniform(900, u)],
    ['clustered', uniform(800, u), clustered(1500, 8, 0, u)],
    ['duplicate-heavy', uniform(600, u), clustered(2000, 5, 0.95, u)],
    ['all duplicates', uniform(200, u), clustered(1000, 1, 1, u)],
    ['collinear, vertical', Float64Array.from({ length: 600 }, (_, i) => (i % 2 ? u() : 0.5)), Float64Array.from({ length: 800 }, (_, i) => (i % 2 ? u() : 0.5))],
    ['collinear, diagonal', diagonal(300, u), diagonal(500, u)],
    ['integer lattice with ties', Float64Array.from({ length: 800 }, () => Math.floor(u() * 6)), Float64Array.from({ length: 600 }, () => Math.floor(u() * 6))],
    ['single point vs many', Float64Array.from([0.3, 0.7]), uniform(400, u)],
    ['single point vs single point', Float64Array.from([0, 0]), Float64Array.from([3, 4])],
  ];
  for (const [name, a, b] of cases) {
    it(name, () => {
      expect(directedHausdorffPoints(a, b)).toBe(bruteDirected(a, b));
      expect(directedHausdorffPoints(b, a)).toBe(bruteDirected(b, a));
      expect(hausdorffPoints(a, b)).toBe(Math.max(bruteDirected(a, b), bruteDirected(b, a)));
    });
  }
  it('clustered B sends queries to the R-tree, and its answers are still exact', () => {
    // Enough queries that most go to the tree and the rest get the smaller grid budget too.
    const a = uniform(5000, u);
    const b = clustered(3000, 4, 0.5, u);
    const work = newWork();
    expect(directedHausdorffPoints(a, b, work)).toBe(bruteDirected(a, b));
    expect(work.treeQueries).toBeGreaterThan(2600);
  });
  it('empty sets', () => {
    expect(directedHausdorffPoints(new Float64Array(0), uniform(3, u))).toBe(0);
    expect(directedHausdorffPoints(uniform(3, u), new Float64Array(0))).toBe(Infinity);
  });
});

describe('directedHausdorffPoints at n = 2·10⁵ (network-like clustered output)', () => {
  // The ring scan alone took ~10¹⁰ steps here (crowded cells, long runs of empty rings around 16 clusters):
  // each query now spends a bounded number of grid steps and at most one R-tree search.
  it('both directions stay within a constant number of grid steps per query', () => {
    const u = rng(5);
    const n = 2e5;
    const a = uniform(n, u);
    const b = clustered(n, 16, 0.9, u);
    const ab = newWork();
    const ba = newWork();
    const h = Math.max(directedHausdorffPoints(a, b, ab), directedHausdorffPoints(b, a, ba));
    expect(h).toBeGreaterThan(0.05);
    expect(ab.gridSteps).toBeLessThanOrEqual(100 * n);
    expect(ba.gridSteps).toBeLessThanOrEqual(100 * n);
    expect(ab.treeQueries).toBeLessThanOrEqual(n);
    // Spread-out B (B → A: A is uniform) stays in the grid.
    expect(ba.treeQueries).toBeLessThan(n / 100);
  }, 30_000);
});
