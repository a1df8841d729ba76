/**
 * The one seeded pseudo-random generator of the project, so every run is reproduced exactly from its seed.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator from PractRand, 128-bit state, three
 * mixing words and a counter) seeded through splitmix32 so that neighbouring seeds (42, 43) give unrelated
 * streams; the first 15 outputs are discarded so the counter has mixed into every state word. Doubles take
 * 26 + 27 bits of two outputs (53 random bits), so 10^6 uniform coordinates almost never tie.
 *
 * Everything returns closures over plain numbers: a draw allocates nothing, which the geometry generators rely on.
 */

/** splitmix32 (the 32-bit variant of Steele, Lea & Flood's SplitMix): a counter hashed into well-mixed words. */
export function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Raw 32-bit outputs of sfc32 for the seed (its low 32 bits, as a signed integer). */
export function rngUint32(seed: number): () => number {
  const mix = splitmix32(seed | 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** Uniform doubles in [0, 1) from a stream of 32-bit words: 27 high bits of one word, then 26 of the next. */
export function uniformFrom(next32: () => number): () => number {
  return () => ((next32() >>> 5) * TWO_POW_26 + (next32() >>> 6)) / TWO_POW_53;
}

/** Uniform doubles in [0, 1) from sfc32 seeded with `seed`. */
export function rng(seed: number): () => number {
  return uniformFrom(rngUint32(seed));
}

/**
 * Standard normal deviates from `uniform` by the Box–Muller transform; the second value of each pair is kept
 * for the next call. `1 - u` keeps the logarithm's argument in (0, 1].
 */
export function gaussian(uniform: () => number): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    hasSpare = true;
    return r * Math.cos(theta);
  };
}

/** Seeded Fisher–Yates permutation of 0 … count−1, drawing from `uniform`. */
export function permutation(count: number, uniform: () => number): Uint32Array {
  const p = new Uint32Array(count);
  for (let i = 0; i < count; i++) p[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
