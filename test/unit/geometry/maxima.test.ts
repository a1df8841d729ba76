import { describe, expect, it } from 'vitest';
import { maxima3d, maxima3dBruteForce } from '../../../src-worker/geometry/maxima';
import { generatePoints3d, DATASET_NAMES } from '../../../src-worker/geometry/points';
import { rng } from '../../../src-worker/geometry/random';

const both = (p: Float64Array): [number[], number[], number[]] => [
  Array.from(maxima3d(p, 'sweep')),
  Array.from(maxima3d(p, 'output-sensitive')),
  Array.from(maxima3dBruteForce(p)),
];

describe('3-D maxima', () => {
  it('hand example: dominance needs one strict coordinate; coincident points both stay', () => {
    const p = Float64Array.from([
      1, 1, 1, // 0 dominated by 1
      2, 2, 2, // 1 maximal
      2, 2, 2, // 2 copy of 1: maximal
      3, 0, 0, // 3 maximal
      2, 2, 1, // 4 dominated by 1 (z)
      0, 3, 0, // 5 maximal
      0, 3, -1, // 6 dominated by 5
    ]);
    for (const got of both(p)) expect(got).toEqual([1, 2, 3, 5]);
  });
  it('random sets with heavy ties agree with brute force', () => {
    for (let s = 0; s < 60; s++) {
      const u = rng(s);
      const n = 1 + (s * 13) % 150;
      const p = new Float64Array(3 * n);
      for (let i = 0; i < 3 * n; i++) p[i] = s % 2 === 0 ? Math.floor(u() * 4) : u();
      const [a, b, c] = both(p);
      expect(a).toEqual(c);
      expect(b).toEqual(c);
    }
  });
  it('every dataset (3-D versions) agrees with brute force', () => {
    for (const d of DATASET_NAMES) {
      const [a, b, c] = both(generatePoints3d(d, 800, 9));
      expect(a).toEqual(c);
      expect(b).toEqual(c);
    }
  });
  it('anti-chain: all points maximal; chain: one', () => {
    const n = 200;
    const anti = new Float64Array(3 * n);
    const chain = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      anti.set([i, n - i, 0], 3 * i);
      chain.set([i, i, i], 3 * i);
    }
    for (const got of both(anti)) expect(got.length).toBe(n);
    for (const got of both(chain)) expect(got).toEqual([n - 1]);
    expect(Array.from(maxima3d(new Float64Array(0)))).toEqual([]);
  });
});
