/**
 * Training and validation point sets for EntropyNet: the geometry lab's seeded generators, normalised to
 * [0, 1]² per axis as App. G.12 says (the same map the geometry-timing harness and the preprocessor apply).
 * Duplicates are not removed here: every set must keep exactly n points to be batched, and the continuous
 * generators produce none in practice.
 *
 * Seeds: set i of split `split` uses mix(seed, split, i), a 32-bit hash, so training, validation and the
 * evaluation seeds (42, 123, …, used directly by the pipeline) are different streams.
 */
import { generatePoints, normalizeUnitSquare, type DatasetName } from '../../geometry/points';
import { permutation as randomPermutation, rng } from '../../shared/random';

export type Split = 'train' | 'val' | 'before-after';

const SPLIT_SALT: Record<Split, number> = { train: 0x7a11, val: 0x5a1d, 'before-after': 0xbefa };

/** 32-bit mix of three integers (murmur3 finaliser steps). */
export function mixSeed(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ Math.imul(c + 1, 0x27d4eb2f), 0x165667b1);
  h ^= h >>> 15;
  return h | 0;
}

export interface PointSets {
  /** Flat Float64 coordinates of each set, n points each. */
  sets: Float64Array[];
  datasets: DatasetName[];
  seeds: number[];
}

export function makeSets(datasets: readonly DatasetName[], count: number, n: number, seed: number, split: Split): PointSets {
  const sets: Float64Array[] = [];
  const names: DatasetName[] = [];
  const seeds: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = datasets[i % datasets.length];
    const s = mixSeed(seed, SPLIT_SALT[split], i);
    sets.push(normalizeUnitSquare(generatePoints(name, n, s)));
    names.push(name);
    seeds.push(s);
  }
  return { sets, datasets: names, seeds };
}

/** Points of sets [i0, i1, …] packed into one Float32Array [B·n·2] (a batch tensor's data). */
export function packBatch(sets: Float64Array[], indices: ArrayLike<number>): Float32Array {
  const size = sets[indices[0]].length;
  const out = new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const s = sets[indices[b]];
    for (let j = 0; j < size; j++) out[b * size + j] = s[j];
  }
  return out;
}

/** Seeded Fisher–Yates permutation of 0 … count−1. */
export function permutation(count: number, seed: number): Uint32Array {
  return randomPermutation(count, rng(seed));
}
