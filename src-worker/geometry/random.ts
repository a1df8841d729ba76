/**
 * Seeded pseudo-random numbers for point generators (App. G.14: fixed seeds 42, 123, 456, 789, 999).
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state) seeded through splitmix32 so that
 * neighbouring seeds (42, 43) give unrelated streams. `rng(seed)` returns doubles in [0, 1) with 53 random bits,
 * so 10^6 uniform coordinates almost never tie.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Raw 32-bit outputs of sfc32; the building block of `rng`. */
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
  // sfc32 needs a few rounds before the counter has mixed into every state word.
  for (let i = 0; i < 15; i++) next();
  return next;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** Uniform doubles in [0, 1) built from 26 + 27 random bits. */
export function rng(seed: number): () => number {
  const next = rngUint32(seed);
  return () => ((next() >>> 5) * TWO_POW_26 + (next() >>> 6)) / TWO_POW_53;
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

/** In-place Fisher–Yates shuffle of the points (stride `dims`) of a flat coordinate array. */
export function shufflePoints(coords: Float64Array, dims: number, uniform: () => number): void {
  const n = Math.floor(coords.length / dims);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    if (j === i) continue;
    for (let d = 0; d < dims; d++) {
      const t = coords[i * dims + d];
      coords[i * dims + d] = coords[j * dims + d];
      coords[j * dims + d] = t;
    }
  }
}
