/**
 * The point sets of the hull and Delaunay benches: five generators of the geometry lab plus a near-degenerate
 * set, the circle of `circle` with each radius perturbed by a relative 2⁻⁴⁰ (≈ 10⁻¹²). At n = 10⁶ that is
 * below the sagitta between neighbours (≈ 2.5·10⁻¹²), so hull membership and Delaunay edges are decided by
 * orientation and incircle values a few ulps from zero, where naive predicates go wrong.
 */
import { generatePoints } from '../../src-worker/geometry/points';
import { rng } from '../../src-worker/geometry/random';

export const BENCH_DATASETS = ['uniform-square', 'uniform-disk', 'circle', 'gaussian-clusters', 'parabolic', 'near-degenerate'] as const;
export type BenchDataset = (typeof BENCH_DATASETS)[number];

export function benchPoints(dataset: BenchDataset, n: number, seed: number): Float64Array {
  if (dataset !== 'near-degenerate') return generatePoints(dataset, n, seed);
  const p = generatePoints('circle', n, seed);
  const u = rng(seed + 1);
  for (let i = 0; i < n; i++) {
    const s = 1 + (u() - 0.5) * 2 ** -40;
    p[2 * i] = 0.5 + (p[2 * i] - 0.5) * s;
    p[2 * i + 1] = 0.5 + (p[2 * i + 1] - 0.5) * s;
  }
  return p;
}
