/**
 * A small seeded PRNG for everything random in the entropy lab (anchor initialisation, subsampling, point-set
 * generators), so a run is reproduced exactly from its seed. Generator: SplitMix32 seeding into xoshiro128**
 * (Blackman & Vigna), 32-bit state words, period 2^128 − 1; doubles take 53 bits from two outputs.
 */

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

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a generator from an integer seed (any JS number; its low 32 bits and the high part are mixed). */
export function createRng(seed: number): Rng {
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  if ((a | b | c | d) === 0) a = 1;
  let spare: number | null = null;

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
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

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
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
