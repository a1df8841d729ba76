/**
 * A small seeded PRNG for everything random in the entropy lab (anchor initialisation, subsampling, point-set
 * generators), so a run is reproduced exactly from its seed. The generator is the project's one seeded PRNG
 * (sfc32, `shared/random.ts`); this module wraps it in the interface the entropy code draws from.
 */

import { rngUint32, uniformFrom } from '../shared/random';

export interface Rng {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n) (n ≥ 1), without modulo bias. */
  int(n: number): number;
  /** Standard normal deviate (Box–Muller, both values used). */
  normal(): number;
  /** The raw 32-bit output. */
  uint32(): number;
}

/** Create a generator from an integer seed (any JS number; its low 32 bits and the high part are mixed). */
export function createRng(seed: number): Rng {
  const uint32 = rngUint32((seed >>> 0) ^ Math.floor(seed / 4294967296));
  const next = uniformFrom(uint32);
  let spare: number | null = null;
  return {
    uint32,
    next,
    int(n: number): number {
      if (!(n >= 1)) throw new RangeError(`Rng.int: n must be ≥ 1 (got ${n})`);
      if (n <= 0x100000000) {
        const limit = 0x100000000 - (0x100000000 % n);
        for (;;) {
          const x = uint32();
          if (x < limit) return x % n;
        }
      }
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** k distinct indices from [0, n) in random order (partial Fisher–Yates; O(k) memory via a sparse swap map). */
export function sampleIndices(n: number, k: number, rng: Rng): Uint32Array {
  if (k > n) throw new RangeError(`sampleIndices: cannot draw ${k} distinct indices from ${n}`);
  const out = new Uint32Array(k);
  const swapped = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    out[i] = vj;
    swapped.set(j, vi);
  }
  return out;
}
