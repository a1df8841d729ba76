import { describe, expect, it } from 'vitest';
import {
  maxima3d,
  maxima3dBoundedGuess,
  maxima3dBruteForce,
  maxima3dOutputSensitive,
  type MaximaWork,
} from '../../../../src-worker/geometry/maxima';
import { generatePoints3d, DATASET_NAMES } from '../../../../src-worker/geometry/points';
import { rng } from '../../../../src-worker/geometry/random';

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
  it('every guess H agrees with brute force when it succeeds, and gives up exactly when there are more than H maxima', () => {
    for (let s = 0; s < 40; s++) {
      const u = rng(100 + s);
      const n = 20 + (s * 37) % 400;
      const p = new Float64Array(3 * n);
      // Few distinct values: many duplicates, equal x with different (y, z), equal (y, z) with different x.
      for (let i = 0; i < 3 * n; i++) p[i] = s % 2 === 0 ? Math.floor(u() * 3) : Math.floor(u() * 20) / 4;
      const oracle = Array.from(maxima3dBruteForce(p));
      for (const H of [2, 4, 16, 256]) {
        const got = maxima3dBoundedGuess(p, H);
        if (oracle.length > H) expect(got).toBeNull();
        else expect(got && Array.from(got)).toEqual(oracle);
      }
    }
  });
  it('duplicates: every copy of a maximum stays, copies of a dominated point all go', () => {
    const p = new Float64Array(3 * 300);
    for (let i = 0; i < 300; i++) {
      const k = i % 3;
      // 100 copies each of (5,5,5) maximal, (5,5,4) dominated by it, (6,0,0) maximal.
      p.set(k === 0 ? [5, 5, 5] : k === 1 ? [5, 5, 4] : [6, 0, 0], 3 * i);
    }
    const oracle = Array.from(maxima3dBruteForce(p));
    expect(oracle.length).toBe(200);
    expect(Array.from(maxima3dOutputSensitive(p))).toEqual(oracle);
    expect(Array.from(maxima3dBoundedGuess(p, 256) ?? [])).toEqual(oracle);
    expect(maxima3dBoundedGuess(p, 16)).toBeNull();
  });
  it('ties in x, y and z one at a time are decided by the other coordinates', () => {
    const p = Float64Array.from([
      4, 1, 1, // 0 dominated by 1 (same x)
      4, 2, 1, // 1 maximal
      4, 1, 2, // 2 maximal
      3, 2, 1, // 3 dominated by 1 (same y, z)
      2, 9, 0, // 4 maximal
      1, 9, 0, // 5 dominated by 4
      1, 0, 9, // 6 maximal
      1, 0, 9, // 7 copy of 6
    ]);
    expect(Array.from(maxima3dBruteForce(p))).toEqual([1, 2, 4, 6, 7]);
    for (const H of [5, 16]) expect(Array.from(maxima3dBoundedGuess(p, H) ?? [])).toEqual([1, 2, 4, 6, 7]);
    expect(maxima3dBoundedGuess(p, 4)).toBeNull();
  });
  it('rounds that stop paying hand the rest over correctly: to the sweep, and to a guess', () => {
    // A cube emptied by the first round, then 300 points in convex position above it: rounds remove one each.
    const u = rng(12);
    const cube = Array.from({ length: 2700 * 3 }, () => u());
    const plane = Array.from({ length: 300 }, () => {
      const a = u(), b = u(), c = u();
      return [(3 * a) / (a + b + c), (3 * b) / (a + b + c), (3 * c) / (a + b + c)];
    }).flat();
    const mixed = Float64Array.from([...cube, ...plane]);
    expect(Array.from(maxima3dOutputSensitive(mixed))).toEqual(Array.from(maxima3dBruteForce(mixed)));
    // 150 maxima each over its own share of 70 000 points: one round removes 1/150, the estimate picks H = 256.
    const n = 70_000;
    const h = 150;
    const p = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const k = i % h;
      p.set(i < h ? [k, h - 1 - k, 1] : [k - 0.5 * u(), h - 1 - k - 0.5 * u(), u()], 3 * i);
    }
    const got = Array.from(maxima3dOutputSensitive(p));
    expect(got).toEqual(maxima3dSweep3(p));
    expect(got.length).toBe(h);
  });
  it('work is output-sensitive: n = 10⁵ costs O(n log h) steps, far below n·h and below n log n for few maxima', () => {
    const n = 100_000;
    const steps: number[] = [];
    for (const h of [1, 64, 1000]) {
      const u = rng(7);
      const p = new Float64Array(3 * n);
      // Maxima mₖ = (k, h − 1 − k, 1); every other point lies under exactly one of them, so no single maximum
      // prunes more than 1/h of the input.
      for (let i = 0; i < n; i++) {
        const k = i % h;
        p.set(i < h ? [k, h - 1 - k, 1] : [k - 0.5 * u(), h - 1 - k - 0.5 * u(), u()], 3 * i);
      }
      const work: MaximaWork = { steps: 0 };
      const got = Array.from(maxima3dOutputSensitive(p, work));
      expect(got).toEqual(maxima3dSweep3(p));
      expect(got.length).toBe(h);
      expect(work.steps).toBeLessThan(12 * n * Math.log2(h + 2));
      steps.push(work.steps);
    }
    expect(steps[0]).toBeLessThan(n * Math.log2(n) / 2);
    expect(steps[2]).toBeLessThan((n * 1000) / 10);
  });
});

const maxima3dSweep3 = (p: Float64Array): number[] => Array.from(maxima3d(p, 'sweep'));
