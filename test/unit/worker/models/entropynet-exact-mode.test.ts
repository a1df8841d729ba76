import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../../src-worker/models/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactHullFromKeep, selectKeep } from '../../../../src-worker/geometry/exact-mode';
import { bruteForceHull, convexHull, type HullAlgorithm } from '../../../../src-worker/geometry/hull/index';
import { generatePoints, DATASET_NAMES } from '../../../../src-worker/geometry/points';
import { EntropyNet } from '../../../../src-worker/models/entropynet';
import { moveWithEntropyNet } from '../../../../src-worker/models/entropynet-preprocessor';

const ALGORITHMS: HullAlgorithm[] = ['monotone', 'quickhull', 'chan', 'akl-toussaint'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomKeep(n: number, p: number, seed: number): Uint8Array {
  const r = lcg(seed);
  return Uint8Array.from({ length: n }, () => (r() < p ? 1 : 0));
}

/** The oracle: the hull of all points, and (small inputs) the brute-force hull. */
function expectRawHull(points: Float64Array, keep: Uint8Array, alg: HullAlgorithm): ReturnType<typeof exactHullFromKeep> {
  const result = exactHullFromKeep(points, keep, alg);
  expect(Array.from(result.hull)).toEqual(Array.from(convexHull(points, alg)));
  if (points.length <= 400) expect(Array.from(result.hull)).toEqual(Array.from(bruteForceHull(points)));
  return result;
}

describe('exact mode: the hull always equals the raw hull', () => {
  it('random keep sets on every generator, every algorithm', () => {
    let certified = 0;
    let fallbacks = 0;
    for (const name of DATASET_NAMES) {
      for (const seed of [1, 2, 3]) {
        const points = generatePoints(name, 600, seed);
        for (const alg of ALGORITHMS) {
          for (const p of [0, 0.05, 0.5, 0.95, 1]) {
            const r = expectRawHull(points, randomKeep(600, p, seed * 31 + Math.round(p * 100)), alg);
            if (r.fallback) fallbacks++;
            else certified++;
          }
        }
      }
    }
    // Both branches must have been exercised.
    expect(certified).toBeGreaterThan(0);
    expect(fallbacks).toBeGreaterThan(0);
  });

  it('keeps that drop hull vertices fall back; keeps of all hull vertices certify', () => {
    const points = generatePoints('uniform-disk', 2000, 5);
    const hull = convexHull(points, 'monotone');
    const onlyHull = new Uint8Array(2000);
    for (const i of hull) onlyHull[i] = 1;
    const r1 = expectRawHull(points, onlyHull, 'chan');
    expect(r1.certified).toBe(true);
    const noHull = new Uint8Array(2000).fill(1);
    noHull[hull[3]] = 0;
    const r2 = expectRawHull(points, noHull, 'chan');
    expect(r2.fallback).toBe(true);
    expect(r2.witness).toBe(hull[3]);
  });

  it('a dropped duplicate of a hull vertex with a smaller index names the vertex, as the raw hull does', () => {
    // Index 0 duplicates the vertex at index 4; index 1 lies on an edge; index 2 is inside.
    const points = Float64Array.from([1, 1, 0.5, 0, 0.5, 0.5, 0, 0, 1, 1, 1, 0, 0, 1]);
    const keep = Uint8Array.from([0, 0, 0, 1, 1, 1, 1]);
    for (const alg of ALGORITHMS) {
      const r = expectRawHull(points, keep, alg);
      expect(r.certified).toBe(true);
      expect(Array.from(r.hull)).toContain(0);
    }
  });

  it('near-collinear, collinear, duplicated and scaled inputs', () => {
    const cases: Array<[string, Float64Array]> = [];
    // A point one ulp outside the edge (0,0)–(1,1), dropped: the certificate must see it.
    const eps = 2 ** -52;
    cases.push(['ulp-outside', Float64Array.from([0, 0, 1, 1, 0, 1, 0.5, 0.5 - eps, 0.2, 0.6])]);
    cases.push(['ulp-on-edge', Float64Array.from([0, 0, 1, 1, 0, 1, 0.5, 0.5, 0.2, 0.6])]);
    const line = new Float64Array(200);
    for (let i = 0; i < 100; i++) ((line[2 * i] = i / 99), (line[2 * i + 1] = (2 * i) / 99));
    cases.push(['collinear', line]);
    const dup = new Float64Array(200);
    for (let i = 0; i < 100; i++) ((dup[2 * i] = i % 4 < 2 ? 0 : 1), (dup[2 * i + 1] = i % 2));
    cases.push(['duplicates', dup]);
    for (const scale of [1e-9, 1e9]) cases.push([`scaled ${scale}`, generatePoints('gaussian-clusters', 300, 9).map((v) => v * scale)]);
    for (const [, points] of cases) {
      const n = points.length >> 1;
      for (const alg of ALGORITHMS) {
        for (let s = 0; s < 8; s++) expectRawHull(points, randomKeep(n, 0.5, 100 + s), alg);
        const dropLast = new Uint8Array(n).fill(1);
        dropLast[n - 1] = 0;
        expectRawHull(points, dropLast, alg);
      }
    }
    const outside = exactHullFromKeep(cases[0][1], Uint8Array.from([1, 1, 1, 0, 1]), 'monotone');
    expect(outside.fallback).toBe(true);
    const onEdge = exactHullFromKeep(cases[1][1], Uint8Array.from([1, 1, 1, 0, 1]), 'monotone');
    expect(onEdge.certified).toBe(true);
  });

  it('with a network choosing the points — trained-looking or garbage — the result is the raw hull', () => {
    const net = new EntropyNet({ seed: 11 });
    for (const name of ['uniform-square', 'parabolic', 'quickdraw-like'] as const) {
      const points = generatePoints(name, 2000, 17);
      const moved = moveWithEntropyNet(net, points);
      for (const rule of ['depth', 'inward'] as const) {
        for (const margin of [0, 0.01, 0.05, 0.3]) {
          const keep = selectKeep(points, moved, { rule, margin });
          for (const alg of ALGORITHMS) expectRawHull(points, keep, alg);
        }
      }
      // Garbage: a "network" that keeps the points farthest from the hull (the interior) only.
      const garbage = selectKeep(points, moved, { rule: 'depth', margin: 0.05 }).map((k) => 1 - k);
      for (const alg of ALGORITHMS) expect(expectRawHull(points, Uint8Array.from(garbage), alg).fallback).toBe(true);
    }
    net.dispose();
  }, 60_000);
});
