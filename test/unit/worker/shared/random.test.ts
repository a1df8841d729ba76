import { describe, expect, it } from 'vitest';
import { gaussian, permutation, rng, rngUint32, splitmix32 } from '../../../../src-worker/shared/random';

const M32 = 0xffffffffn;

/** splitmix32 and sfc32 written from their reference definitions in unbounded BigInt arithmetic, masked to 32 bits. */
function referenceSplitmix32(seed: number): () => bigint {
  let s = BigInt(seed >>> 0);
  return () => {
    s = (s + 0x9e3779b9n) & M32;
    let z = s;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M32;
    return z ^ (z >> 16n);
  };
}

function referenceSfc32(seed: number): () => bigint {
  const mix = referenceSplitmix32(seed | 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let counter = 1n;
  const next = (): bigint => {
    const tmp = (a + b + counter) & M32;
    counter = (counter + 1n) & M32;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M32;
    c = (((c << 21n) | (c >> 11n)) + tmp) & M32;
    return tmp;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

describe('splitmix32 / sfc32 against their reference definitions', () => {
  it('splitmix32 gives the reference words', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const ours = splitmix32(seed);
      const ref = referenceSplitmix32(seed);
      for (let i = 0; i < 8; i++) expect(ours()).toBe(Number(ref()));
    }
  });

  it('the first 1000 sfc32 outputs match for several seeds, including negative and > 2^31 ones', () => {
    for (const seed of [0, 1, 42, 123, 999, -7, 0x9000_0000]) {
      const ours = rngUint32(seed);
      const ref = referenceSfc32(seed);
      for (let i = 0; i < 1000; i++) expect(ours()).toBe(Number(ref()));
    }
  });

  it('a uniform double is two outputs: 27 high bits of the first over 26 of the second, / 2^53', () => {
    const ref = referenceSfc32(42);
    const u = rng(42);
    for (let i = 0; i < 100; i++) {
      const hi = ref() >> 5n;
      const lo = ref() >> 6n;
      expect(u()).toBe(Number((hi << 26n) | lo) / 2 ** 53);
    }
  });
});

describe('rng', () => {
  it('is deterministic per seed and differs between neighbouring seeds', () => {
    const a = rng(42), b = rng(42), c = rng(43);
    const xa = Array.from({ length: 50 }, () => a());
    const xb = Array.from({ length: 50 }, () => b());
    const xc = Array.from({ length: 50 }, () => c());
    expect(xa).toEqual(xb);
    expect(xa.filter((x, i) => x === xc[i])).toEqual([]);
  });

  it('10^5 uniform draws lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = rng(7);
    const n = 100_000;
    let s = 0, s2 = 0, min = 1, max = 0;
    for (let i = 0; i < n; i++) {
      const x = u();
      s += x;
      s2 += x * x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard errors: sd(mean) = 0.289/√n ≈ 9e-4; sd(variance) ≈ 0.0745/√n ≈ 2.4e-4. Bounds are ~5 sd.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0012);
  });

  it('10^5 Box–Muller draws have mean 0, variance 1 and ~68.3 % within one sd', () => {
    const g = gaussian(rng(11));
    const n = 100_000;
    let s = 0, s2 = 0, inside = 0;
    for (let i = 0; i < n; i++) {
      const x = g();
      expect(Number.isFinite(x)).toBe(true);
      s += x;
      s2 += x * x;
      if (Math.abs(x) < 1) inside++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // sd(mean) = 1/√n ≈ 3.2e-3; sd(variance) = √(2/n) ≈ 4.5e-3; sd(fraction) ≈ 1.5e-3. Bounds are ~5 sd.
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(variance - 1)).toBeLessThan(0.023);
    expect(Math.abs(inside / n - 0.6827)).toBeLessThan(0.0075);
  });
});

describe('permutation', () => {
  it('holds every index once, is seed-deterministic, and puts each index in each slot about equally often', () => {
    for (const count of [0, 1, 2, 17]) {
      const p = permutation(count, rng(count));
      expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
    }
    expect([...permutation(30, rng(5))]).toEqual([...permutation(30, rng(5))]);
    const u = rng(3);
    const trials = 30_000;
    const counts = new Array<number>(16).fill(0);
    for (let t = 0; t < trials; t++) {
      const p = permutation(4, u);
      for (let slot = 0; slot < 4; slot++) counts[slot * 4 + p[slot]]++;
    }
    // Each (slot, index) cell expects trials/4 = 7500, sd ≈ 75; a biased shuffle (e.g. j drawn from 0…n−1) is far off.
    for (const c of counts) expect(Math.abs(c - trials / 4)).toBeLessThan(400);
  });
});
